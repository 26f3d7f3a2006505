#!/usr/bin/python3
"""Loads an HF BERT directory (for example one written by bert.Model.Save) with
the PyTorch reference in refbert.py and prints its logits.

    /usr/bin/python3 bert/testdata/check_saved.py DIR INPUTS.json [--tol 1e-4]

DIR must hold config.json and model.safetensors (F32/F16/BF16 tensors under
HF names, with or without the "bert." prefix; legacy LayerNorm gamma/beta and
ignorable position_ids / cls.* tensors are accepted). INPUTS.json has the
shape of testdata/*/expected.json: {"batches": [{"name", "input_ids",
"token_type_ids", "attention_mask", optional "logits"}]}. For each batch it
prints the reference logits as JSON; when the batch carries "logits" (for
instance the Go logits written next to a saved model), it also prints the
largest absolute difference and exits 1 if any exceeds --tol.

Run by hand (it is not part of go test): Python is only a reference here.
"""

import argparse
import json
import os
import sys

import torch

sys.dont_write_bytecode = True  # no __pycache__ in testdata
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refbert  # noqa: E402


def canonical(name):
    if name.startswith("cls.") or name.endswith("position_ids") or name.endswith("token_type_ids"):
        return None
    if not name.startswith("classifier."):
        name = "bert." + name.removeprefix("bert.")
    if "LayerNorm." in name:
        name = name.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
    return name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("inputs")
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()
    torch.set_num_threads(2)
    with open(os.path.join(a.dir, "config.json")) as f:
        cfg = json.load(f)
    model = refbert.BertForSequenceClassification(refbert.Config(cfg))
    state = {}
    for name, t in refbert.read_safetensors(os.path.join(a.dir, "model.safetensors")).items():
        c = canonical(name)
        if c is not None:
            state[c] = t
    model.load_state_dict(state, strict=True)
    model.eval()
    with open(a.inputs) as f:
        inputs = json.load(f)
    worst = 0.0
    with torch.no_grad():
        for b in inputs["batches"]:
            logits, _ = model(torch.tensor(b["input_ids"]), torch.tensor(b["token_type_ids"]),
                              torch.tensor(b["attention_mask"]))
            out = {"name": b.get("name"), "logits": logits.tolist()}
            if b.get("logits") is not None:
                d = (logits - torch.tensor(b["logits"])).abs().max().item()
                out["max_abs_diff"] = d
                worst = max(worst, d)
            print(json.dumps(out))
    print(json.dumps({"max_abs_diff": worst, "tol": a.tol, "ok": worst <= a.tol}))
    return 0 if worst <= a.tol else 1


if __name__ == "__main__":
    sys.exit(main())
