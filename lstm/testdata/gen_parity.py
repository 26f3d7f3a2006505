#!/usr/bin/python3
"""Writes the torch parity fixtures of package lstm.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 lstm/testdata/gen_parity.py

For each variant it writes testdata/parity/NAME/ in the format of
lstm.Model.Save (config.json, vocab.json, model.safetensors), plus:

  expected.json      SOURCE note, tolerance, input texts, the logits of
                     model.eval() on the whole padded batch, and the losses
                     of two training steps on two batches of texts with
                     labels (of different sizes and lengths)
  grads.safetensors  every parameter's gradient of the second step (after
                     clipping, when the variant clips)
  after.safetensors  every parameter after the second optimiser step

The model is the reference BiLSTM of shared/anchors/lstm.py at tiny sizes:
Embedding(V, 4, padding_idx=0) -> nn.LSTM(batch_first=True) over
pack_padded_sequence(enforce_sorted=False) -> concat(final forward state,
final backward state) -> Dropout(0) -> Linear. Texts are words of the
vocabulary separated by spaces, which the tweet cleaner leaves as they are
("zzz" becomes "zz", unknown either way), unknown words map to <unk>=1, an empty text is one <unk>, and texts are cut to max_len tokens.

Debian has no python3-safetensors, so the small writer below follows the
format spec: 8-byte little-endian header length, a JSON header with sorted
names and data_offsets, padded with spaces to a multiple of 8, then the raw
little-endian float32 data.
"""

import copy
import json
import os
import struct
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence  # noqa: E402

torch.set_num_threads(2)
HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-5
COMMAND = "OPENBLAS_NUM_THREADS=1 /usr/bin/python3 lstm/testdata/gen_parity.py"

VOCAB = ["<pad>", "<unk>"] + ["w%d" % i for i in range(2, 12)]
LABELS = ["a", "b", "c"]
PREDICT_TEXTS = [
    "w2 w3 w4 w5",
    "w7",
    "",
    "w11 w10 zzz w9 w8",
    "w2 w2 w2 w6 w6 w3 w4 w5 w9",  # 9 words: cut to max_len
    "w5 w4",
]
TRAIN_BATCHES = [
    (["w2 w3 w4", "w9 w10", "w6", "zzz w7 w8 w2 w11", "w3 w3"], [0, 2, 1, 1, 0]),
    (["w5 w6 w7 w8 w9 w10 w11", "w4", "w2 w9 w9"], [2, 1, 0]),
]

VARIANTS = [
    # name, seed, layers, bidirectional, max_len, optimiser settings
    dict(name="bi1", seed=1, layers=1, bi=True, max_len=6, optimizer="adam", lr=1e-3, wd=0.0, clip=0.0,
         class_weights=None),
    dict(name="bi2", seed=2, layers=2, bi=True, max_len=64, optimizer="adamw", lr=1e-2, wd=0.01, clip=0.5,
         class_weights=[2.0, 1.0, 0.5]),
    dict(name="fwd1", seed=3, layers=1, bi=False, max_len=64, optimizer="adam", lr=1e-2, wd=0.01, clip=0.0,
         class_weights=None),
    # Sizes of 8: the LSTM cell's vectorised (AVX2) path runs on hidden
    # sizes that are multiples of 8.
    dict(name="bi1h8", seed=5, layers=1, bi=True, max_len=64, optimizer="adam", lr=1e-2, wd=0.0, clip=0.0,
         class_weights=None, size=8),
]


class Net(nn.Module):
    def __init__(self, vocab, classes, emb, hidden, layers, bi):
        super().__init__()
        self.bi = bi
        self.embedding = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, batch_first=True, bidirectional=bi)
        self.drop = nn.Dropout(0.0)
        self.fc = nn.Linear((2 if bi else 1) * hidden, classes)

    def forward(self, ids, lens):
        x = self.embedding(ids)
        packed = pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        feat = torch.cat([h[-2], h[-1]], dim=1) if self.bi else h[-1]
        return self.fc(self.drop(feat))


def encode(texts, max_len):
    stoi = {w: i for i, w in enumerate(VOCAB)}
    seqs = [([stoi.get(w, 1) for w in t.split()] or [1])[:max_len] for t in texts]
    lens = torch.tensor([len(s) for s in seqs])
    ids = torch.zeros(len(seqs), int(lens.max()), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    return ids, lens


def train_steps(net, v):
    """Runs the variant's optimiser over TRAIN_BATCHES; returns the losses."""
    net.train()
    dt = next(net.parameters()).dtype
    w = None if v["class_weights"] is None else torch.tensor(v["class_weights"], dtype=dt)
    if v["optimizer"] == "adamw":
        opt = torch.optim.AdamW(net.parameters(), lr=v["lr"], weight_decay=v["wd"])
    else:
        opt = torch.optim.Adam(net.parameters(), lr=v["lr"], weight_decay=v["wd"])
    losses = []
    for texts, labels in TRAIN_BATCHES:
        loss = nn.CrossEntropyLoss(weight=w)(net(*encode(texts, v["max_len"])), torch.tensor(labels))
        opt.zero_grad()
        loss.backward()
        if v["clip"] > 0:
            torch.nn.utils.clip_grad_norm_(net.parameters(), v["clip"])
        opt.step()
        losses.append(float(loss))
    return losses


def check_conditioning(name, net32, net64):
    """Fails unless the float32 run agrees with a float64 run well inside
    TOLERANCE. Adam's first update is lr·g/(|g|+eps): a gradient near eps
    (1e-8) makes it sensitive to float32 rounding, and such a fixture would
    test noise. Pick another seed when this fails."""
    worst = 0.0
    for (n, a), (_, b) in zip(net32.state_dict().items(), net64.state_dict().items()):
        worst = max(worst, float((a.double() - b).abs().max()))
    if worst > TOLERANCE / 4:
        raise SystemExit("%s: float32 and float64 runs differ by %.2e: ill-conditioned, change the seed" % (name, worst))
    return worst


def write_safetensors(path, tensors):
    assert sys.byteorder == "little"
    header = {"__metadata__": {"format": "pt"}}
    chunks, off = [], 0
    for name in sorted(tensors):
        b = tensors[name].detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def main():
    for v in VARIANTS:
        out = os.path.join(HERE, "parity", v["name"])
        os.makedirs(out, exist_ok=True)
        torch.manual_seed(v["seed"])
        size = v.get("size", 4)
        net = Net(len(VOCAB), len(LABELS), size, size, v["layers"], v["bi"])
        config = {
            "format_version": 1,
            "config": {
                "embedding_dim": size, "hidden": size, "layers": v["layers"],
                "direction": "bidirectional" if v["bi"] else "forward",
                "dropout": -1, "max_len": v["max_len"], "seed": v["seed"], "cleaner": "tweet",
                "learning_rate": v["lr"], "optimizer": v["optimizer"], "weight_decay": v["wd"],
                "clip_norm": v["clip"], "schedule": "constant", "warmup_steps": 0,
            },
            "labels": LABELS,
        }
        if v["class_weights"] is not None:
            config["config"]["class_weights"] = v["class_weights"]
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
        with open(os.path.join(out, "vocab.json"), "w") as f:
            json.dump({"format_version": 1, "pad": "<pad>", "unk": "<unk>", "tokens": VOCAB}, f, indent=2)
            f.write("\n")
        write_safetensors(os.path.join(out, "model.safetensors"), net.state_dict())

        net.eval()
        with torch.no_grad():
            logits = net(*encode(PREDICT_TEXTS, v["max_len"]))

        net64 = copy.deepcopy(net).double()
        losses = train_steps(net, v)
        train_steps(net64, v)
        worst = check_conditioning(v["name"], net, net64)
        write_safetensors(os.path.join(out, "grads.safetensors"),
                          {n: p.grad for n, p in net.named_parameters()})
        write_safetensors(os.path.join(out, "after.safetensors"), net.state_dict())

        expected = {
            "SOURCE": "%s; torch %s; %s" % (os.path.basename(__file__), torch.__version__, COMMAND),
            "tolerance": TOLERANCE,
            "predict_texts": PREDICT_TEXTS,
            "logits": [[float(x) for x in row] for row in logits],
            "train_batches": [{"texts": t, "labels": l} for t, l in TRAIN_BATCHES],
            "losses": losses,
        }
        with open(os.path.join(out, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
            f.write("\n")
        print("wrote", out, "losses", ["%.6f" % x for x in losses], "float32 vs float64 weights %.1e" % worst)


if __name__ == "__main__":
    main()
