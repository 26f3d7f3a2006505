#!/usr/bin/python3
"""Writes the tiny BERT reference fixtures under bert/testdata/.

Run from anywhere with Debian's python3-torch (no transformers, no PyPI):

    /usr/bin/python3 bert/testdata/gen_fixtures.py

It rewrites, deterministically (torch.manual_seed, 2 threads):

  tiny-a/      HF BertForSequenceClassification directory: config.json,
               vocab.txt, tokenizer_config.json, model.safetensors (F32,
               "bert." prefix), expected.json (batches, logits, pooled).
  tiny-b/      other sizes; pytorch_model.bin from torch.save (BF16 storages,
               no "bert." prefix, legacy LayerNorm gamma/beta names for some
               layers, an int64 embeddings.position_ids buffer and cls.* MLM
               tensors to be ignored), vocab_size larger than vocab.txt.
  tiny-c/      BertForPreTraining-style checkpoint without a classifier head:
               model.safetensors in F16, all LayerNorms gamma/beta,
               cls.predictions.* and cls.seq_relationship.* tensors; expected
               pooled outputs only (the Go side draws its own head).
  pickle/      state_proto4.bin: torch.save(pickle_protocol=4, so framed)
               of a transposed (non-contiguous) view, a view at a storage
               offset sharing the same storage, an F16, a BF16 and an F64
               tensor and an int64 buffer; state_proto4.json has their
               shapes and row-major float32 values.
  tiny-a-train/ five AdamW steps on tiny-a (dropout off): train.json (batches,
               lr, loss and pre-clip gradient norm per step, f32-vs-f64
               drift per tensor) and weights_after.safetensors.

The token ids are inputs: they come from this script's own tiny greedy
WordPiece (lowercase, split on spaces and punctuation, longest match first,
"##" continuations, [UNK] for the rest), so the Go tests feed ids directly
and do not depend on tokenizer parity.

Weights are drawn with larger scales than HF's initializer (N(0, 0.02)) so
that every parameter visibly moves the logits. Expected values are written
as float32 numbers in JSON; their tolerance is stated in each file.
"""

import collections
import json
import os
import sys

import torch

sys.dont_write_bytecode = True  # no __pycache__ in testdata
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refbert  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LOGIT_TOL = 1e-4

VOCAB = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "!", "'", ",", ".", "?", "@", "#", ":",
    "a", "i", "you", "he", "she", "we", "they", "it", "this", "that", "the",
    "is", "are", "was", "be", "not", "no", "so", "and", "or", "to", "of",
    "in", "on", "at", "for", "with", "my", "your", "me", "all", "what",
    "love", "hate", "like", "good", "bad", "day", "song", "game", "people",
    "go", "get", "got", "just", "lol", "rt", "user", "stupid", "idiot",
    "trash", "ugly", "nice", "beautiful", "happy", "fun", "crazy", "much",
    "really", "back", "home", "now", "never", "ever", "damn", "shut", "up",
    "##s", "##ed", "##ing", "##ly", "##er", "##y", "##a", "##e", "##o",
    "##t", "##n", "##h",
]
assert len(VOCAB) <= 100 and len(set(VOCAB)) == len(VOCAB)
IDS = {t: i for i, t in enumerate(VOCAB)}


def basic_split(text):
    out, cur = [], ""
    for ch in text.lower():
        if ch.isspace():
            if cur:
                out.append(cur)
            cur = ""
        elif not ch.isalnum():
            if cur:
                out.append(cur)
            out.append(ch)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def wordpiece(word):
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in IDS:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def tokens(text):
    return [p for w in basic_split(text) for p in wordpiece(w)]


def encode(text, pair=None):
    """[CLS] a [SEP] (b [SEP]) as (ids, type_ids)."""
    ids = [IDS["[CLS]"]] + [IDS[t] for t in tokens(text)] + [IDS["[SEP]"]]
    types = [0] * len(ids)
    if pair is not None:
        b = [IDS[t] for t in tokens(pair)] + [IDS["[SEP]"]]
        ids += b
        types += [1] * len(b)
    return ids, types


def make_batch(name, items, seq_len=None):
    enc = [encode(*it) if isinstance(it, tuple) else encode(it) for it in items]
    n = seq_len or max(len(e[0]) for e in enc)
    assert all(len(e[0]) <= n for e in enc), name
    return {
        "name": name,
        "texts": [list(it) if isinstance(it, tuple) else [it] for it in items],
        "input_ids": [e[0] + [0] * (n - len(e[0])) for e in enc],
        "token_type_ids": [e[1] + [0] * (n - len(e[1])) for e in enc],
        "attention_mask": [[1] * len(e[0]) + [0] * (n - len(e[0])) for e in enc],
    }


def randomize(model, g):
    """Draw every parameter so that each one matters to the logits."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
            elif "embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:  # Linear [out, in]
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[1] ** 0.5)


def round_to(model, dtype):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(dtype).float())


def run_batches(model, batches):
    model.eval()
    out = []
    with torch.no_grad():
        for b in batches:
            logits, pooled = model(
                torch.tensor(b["input_ids"]),
                torch.tensor(b["token_type_ids"]),
                torch.tensor(b["attention_mask"]),
            )
            r = dict(b)
            r["logits"] = logits.tolist() if logits is not None else None
            r["pooled"] = pooled.tolist()
            out.append(r)
    return out


def check_padding_invariance(model, batch):
    """Each padded row must give the logits of the same row run alone."""
    model.eval()
    with torch.no_grad():
        for i, mask in enumerate(batch["attention_mask"]):
            n = sum(mask)
            one = [torch.tensor([batch[k][i][:n]]) for k in ("input_ids", "token_type_ids", "attention_mask")]
            alone, _ = model(*one)
            full, _ = model(*(torch.tensor(batch[k]) for k in ("input_ids", "token_type_ids", "attention_mask")))
            d = (alone[0] - full[i]).abs().max().item()
            assert d < 1e-5, (batch["name"], i, d)


def hf_config(c, labels, architectures, eps=1e-12, extra=None):
    d = {
        "architectures": architectures,
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": c["hidden_size"],
        "initializer_range": 0.02,
        "intermediate_size": c["intermediate_size"],
        "layer_norm_eps": eps,
        "max_position_embeddings": c["max_position_embeddings"],
        "model_type": "bert",
        "num_attention_heads": c["num_attention_heads"],
        "num_hidden_layers": c["num_hidden_layers"],
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "transformers_version": "4.36.2",
        "type_vocab_size": 2,
        "use_cache": True,
        "vocab_size": c["vocab_size"],
    }
    if labels:
        d["id2label"] = {str(i): l for i, l in enumerate(labels)}
        d["label2id"] = {l: i for i, l in enumerate(labels)}
        d["problem_type"] = "single_label_classification"
    if extra:
        d.update(extra)
    return d


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=False)
        f.write("\n")


def write_common(d, cfg, max_len, vocab=VOCAB):
    os.makedirs(d, exist_ok=True)
    write_json(os.path.join(d, "config.json"), cfg)
    with open(os.path.join(d, "vocab.txt"), "w") as f:
        f.write("".join(t + "\n" for t in vocab))
    write_json(
        os.path.join(d, "tokenizer_config.json"),
        {
            "do_lower_case": True,
            "model_max_length": max_len,
            "tokenizer_class": "BertTokenizer",
            "unk_token": "[UNK]",
            "sep_token": "[SEP]",
            "pad_token": "[PAD]",
            "cls_token": "[CLS]",
            "mask_token": "[MASK]",
        },
    )


def spot(sd, names):
    """First (up to) 6 float32 values of a few tensors, under canonical names."""
    out = {}
    for canon, stored in names:
        t = sd[stored].float().reshape(-1)
        out[canon] = {"stored_as": stored, "shape": list(sd[stored].shape), "first": t[:6].tolist()}
    return out


def expected_doc(what, results, spots, dtype_note):
    return {
        "source": "bert/testdata/gen_fixtures.py (refbert.py, PyTorch %s)" % torch.__version__,
        "what": what,
        "weights_dtype": dtype_note,
        "tolerance": {"logits": LOGIT_TOL, "pooled": LOGIT_TOL, "spot": 0.0},
        "batches": results,
        "spot_values": spots,
    }


TEXTS_A = [
    "you are a stupid idiot",
    ("i love this song", "so much fun"),
    "what a beautiful day!",
]
TEXTS_A_SINGLE = ["rt @user: they are trash and should go back home"]


def gen_tiny_a():
    c = {"vocab_size": len(VOCAB), "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
         "intermediate_size": 16, "max_position_embeddings": 32}
    labels = ["hate", "offensive", "neither"]
    cfg = hf_config(c, labels, ["BertForSequenceClassification"])
    g = torch.Generator().manual_seed(1001)
    model = refbert.BertForSequenceClassification(refbert.Config(cfg))
    randomize(model, g)
    d = os.path.join(HERE, "tiny-a")
    write_common(d, cfg, 32)
    sd = model.state_dict()
    refbert.write_safetensors(os.path.join(d, "model.safetensors"), sd, {"format": "pt"})
    batches = [make_batch("padded", TEXTS_A), make_batch("single", TEXTS_A_SINGLE)]
    check_padding_invariance(model, batches[0])
    spots = spot(sd, [
        ("bert.embeddings.word_embeddings.weight",) * 2,
        ("bert.encoder.layer.1.attention.output.LayerNorm.weight",) * 2,
        ("bert.encoder.layer.0.attention.self.key.weight",) * 2,
        ("classifier.bias",) * 2,
    ])
    write_json(os.path.join(d, "expected.json"),
               expected_doc("BertForSequenceClassification logits and pooler output", run_batches(model, batches),
                            spots, "F32"))
    return model, cfg


def gen_tiny_b():
    vocab = VOCAB
    c = {"vocab_size": len(vocab) + 3, "hidden_size": 12, "num_hidden_layers": 3, "num_attention_heads": 3,
         "intermediate_size": 20, "max_position_embeddings": 24}
    labels = ["offensive", "clean"]
    cfg = hf_config(c, labels, ["BertForSequenceClassification"], eps=1e-5)
    g = torch.Generator().manual_seed(2002)
    model = refbert.BertForSequenceClassification(refbert.Config(cfg))
    randomize(model, g)
    round_to(model, torch.bfloat16)  # the file stores BF16; expected values use the rounded weights
    d = os.path.join(HERE, "tiny-b")
    write_common(d, cfg, 24, vocab)
    sd = collections.OrderedDict()
    for name, t in model.state_dict().items():
        name = name.removeprefix("bert.")
        if name.startswith("embeddings.LayerNorm") or name.startswith("encoder.layer.1."):
            name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        sd[name] = t.to(torch.bfloat16).clone()
    sd["embeddings.position_ids"] = torch.arange(c["max_position_embeddings"]).unsqueeze(0)
    sd["cls.predictions.bias"] = torch.zeros(c["vocab_size"], dtype=torch.bfloat16)
    sd["cls.predictions.transform.dense.weight"] = torch.zeros(12, 12, dtype=torch.bfloat16)
    torch.save(sd, os.path.join(d, "pytorch_model.bin"))
    long_text = "i really love this song , you are so happy and i really like the game now ! so much fun lol"
    batches = [
        make_batch("padded", [long_text, "shut up", ("he is ugly", "she is nice"), "never ever"]),
        make_batch("single", ["damn that was crazy lol"]),
    ]
    assert len(batches[0]["input_ids"][0]) == c["max_position_embeddings"], len(batches[0]["input_ids"][0])
    check_padding_invariance(model, batches[0])
    spots = spot(sd, [
        ("bert.embeddings.word_embeddings.weight", "embeddings.word_embeddings.weight"),
        ("bert.embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma"),
        ("bert.encoder.layer.1.output.LayerNorm.bias", "encoder.layer.1.output.LayerNorm.beta"),
        ("bert.encoder.layer.2.intermediate.dense.weight", "encoder.layer.2.intermediate.dense.weight"),
        ("classifier.weight", "classifier.weight"),
    ])
    write_json(os.path.join(d, "expected.json"),
               expected_doc("BertForSequenceClassification logits and pooler output (weights rounded to bfloat16)",
                            run_batches(model, batches), spots, "BF16 (pytorch_model.bin)"))


def gen_tiny_c():
    c = {"vocab_size": len(VOCAB), "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4,
         "intermediate_size": 12, "max_position_embeddings": 16}
    cfg = hf_config(c, None, ["BertForPreTraining"])
    g = torch.Generator().manual_seed(3003)
    model = refbert.BertForSequenceClassification(refbert.Config(cfg))
    randomize(model, g)
    round_to(model, torch.float16)
    d = os.path.join(HERE, "tiny-c")
    write_common(d, cfg, 16)
    sd = {}
    for name, t in model.state_dict().items():
        if name.startswith("classifier."):
            continue
        name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        sd[name] = t.to(torch.float16)
    sd["bert.embeddings.position_ids"] = torch.arange(16).unsqueeze(0)
    sd["cls.predictions.bias"] = torch.zeros(c["vocab_size"], dtype=torch.float16)
    sd["cls.predictions.transform.dense.weight"] = torch.zeros(8, 8, dtype=torch.float16)
    sd["cls.predictions.transform.dense.bias"] = torch.zeros(8, dtype=torch.float16)
    sd["cls.predictions.transform.LayerNorm.gamma"] = torch.ones(8, dtype=torch.float16)
    sd["cls.predictions.transform.LayerNorm.beta"] = torch.zeros(8, dtype=torch.float16)
    sd["cls.seq_relationship.weight"] = torch.zeros(2, 8, dtype=torch.float16)
    sd["cls.seq_relationship.bias"] = torch.zeros(2, dtype=torch.float16)
    refbert.write_safetensors(os.path.join(d, "model.safetensors"), sd, {"format": "pt"})
    batches = [make_batch("padded", ["you are nice", "they hate that game so much"]),
               make_batch("single", ["lol"])]
    results = run_batches(model, batches)
    for r in results:
        r["logits"] = None  # no head in the checkpoint: only the pooler output is a reference
    spots = spot(sd, [
        ("bert.embeddings.position_embeddings.weight",) * 2,
        ("bert.encoder.layer.0.output.LayerNorm.weight", "bert.encoder.layer.0.output.LayerNorm.gamma"),
        ("bert.pooler.dense.bias",) * 2,
    ])
    write_json(os.path.join(d, "expected.json"),
               expected_doc("BertModel pooler output (checkpoint has no classifier head)", results, spots,
                            "F16 (model.safetensors)"))


TRAIN_BATCHES = [
    (["you are a stupid idiot", "i love this song", "they are trash", "what a nice day"], [0, 2, 0, 2]),
    (["shut up you ugly idiot", "we got home", "damn this game is bad", "happy day"], [1, 2, 1, 2]),
    (["you people are trash", "lol that was crazy", "go back home", "i hate my day"], [0, 1, 0, 2]),
]
TRAIN = {
    "lr": 1e-3, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01,
    "no_decay": ["bias", "LayerNorm.weight"], "warmup_steps": 2, "training_steps": 8, "steps": 5,
    "max_grad_norm": 1.0, "class_weights": [2.0, 1.0, 0.5], "dropout": 0.0,
}


def lr_lambda(step):
    """HF get_linear_schedule_with_warmup: ramp 0..1 over warmup, then linear to 0 at training_steps."""
    w, n = TRAIN["warmup_steps"], TRAIN["training_steps"]
    if step < w:
        return step / max(1, w)
    return max(0.0, (n - step) / max(1, n - w))


def finetune(model, dtype):
    model = model.to(dtype)
    refbert.set_dropout(model, TRAIN["dropout"])
    model.train()
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if any(s in name for s in TRAIN["no_decay"]) else decay).append(p)
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": TRAIN["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=TRAIN["lr"], betas=tuple(TRAIN["betas"]), eps=TRAIN["eps"],
    )
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    weight = torch.tensor(TRAIN["class_weights"], dtype=dtype)
    steps = []
    for step in range(TRAIN["steps"]):
        bi = step % len(TRAIN_BATCHES)
        texts, labels = TRAIN_BATCHES[bi]
        b = make_batch("train%d" % bi, texts)
        lr = opt.param_groups[0]["lr"]
        logits, _ = model(torch.tensor(b["input_ids"]), torch.tensor(b["token_type_ids"]),
                          torch.tensor(b["attention_mask"]))
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor(labels), weight=weight)
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), TRAIN["max_grad_norm"])
        opt.step()
        sched.step()
        steps.append({"step": step, "batch": bi, "lr": lr, "loss": loss.item(), "grad_norm_before_clip": norm.item()})
    return model, steps


def gen_train(model_a, cfg_a):
    m32 = refbert.BertForSequenceClassification(refbert.Config(cfg_a))
    m32.load_state_dict(model_a.state_dict())
    m64 = refbert.BertForSequenceClassification(refbert.Config(cfg_a))
    m64.load_state_dict(model_a.state_dict())
    m32, steps = finetune(m32, torch.float32)
    m64, steps64 = finetune(m64, torch.float64)
    sd32, sd64 = m32.state_dict(), m64.state_dict()
    drift = {n: (sd32[n].double() - sd64[n]).abs().max().item() for n in sd32}
    moved = {n: (sd32[n] - model_a.state_dict()[n]).abs().max().item() for n in sd32}
    d = os.path.join(HERE, "tiny-a-train")
    os.makedirs(d, exist_ok=True)
    refbert.write_safetensors(os.path.join(d, "weights_after.safetensors"), sd32, {"format": "pt"})
    batches = []
    for bi, (texts, labels) in enumerate(TRAIN_BATCHES):
        b = make_batch("train%d" % bi, texts)
        b["labels"] = labels
        batches.append(b)
    write_json(os.path.join(d, "train.json"), {
        "source": "bert/testdata/gen_fixtures.py (refbert.py, PyTorch %s)" % torch.__version__,
        "start": "tiny-a (model.safetensors)",
        "what": ("torch.optim.AdamW (decoupled decay; bias and LayerNorm.weight not decayed) with "
                 "LambdaLR(get_linear_schedule_with_warmup semantics), clip_grad_norm_ over all parameters "
                 "(coef = max_norm / (norm + 1e-6), applied when < 1), class-weighted mean cross-entropy "
                 "sum(w[y] * nll) / sum(w[y]), dropout 0, float32; each step: forward, loss, backward, clip, "
                 "AdamW step with lr for that step, scheduler step"),
        "hyperparameters": TRAIN,
        "batches": batches,
        "steps": steps,
        "tolerance": {"loss": 1e-4, "weights": 1e-4,
                      "note": ("f32_vs_f64_max_abs_diff shows how far float32 rounding alone moves each tensor; "
                               "tensors whose true gradient is zero (attention key biases: softmax is shift "
                               "invariant) get Adam updates driven by rounding noise, so compare those with "
                               "max(1e-4, 2 * their drift) or skip them")},
        "loss_f64": [s["loss"] for s in steps64],
        "f32_vs_f64_max_abs_diff": drift,
        "max_abs_change_from_start": moved,
    })


def gen_pickle_cases():
    d = os.path.join(HERE, "pickle")
    os.makedirs(d, exist_ok=True)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4 - 1
    g = torch.Generator().manual_seed(4004)
    sd = collections.OrderedDict()
    sd["transposed"] = base.t()  # shape (4, 3), stride (1, 4)
    sd["row1"] = base[1]  # storage offset 4, shares base's storage
    sd["half"] = torch.randn(2, 3, generator=g).to(torch.float16)
    sd["bf16"] = torch.randn(3, generator=g).to(torch.bfloat16)
    sd["double"] = torch.tensor([[1.0 / 3.0, -2.5]], dtype=torch.float64)
    sd["ids"] = torch.arange(5)
    assert not sd["transposed"].is_contiguous()
    torch.save(sd, os.path.join(d, "state_proto4.bin"), pickle_protocol=4)
    write_json(os.path.join(d, "state_proto4.json"), {
        "source": "bert/testdata/gen_fixtures.py gen_pickle_cases (PyTorch %s)" % torch.__version__,
        "tolerance": 0.0,
        "tensors": {k: {"shape": list(v.shape), "values": v.float().reshape(-1).tolist()}
                    for k, v in sd.items() if v.dtype.is_floating_point},
        "non_float": ["ids"],
    })


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model_a, cfg_a = gen_tiny_a()
    gen_tiny_b()
    gen_tiny_c()
    gen_pickle_cases()
    gen_train(model_a, cfg_a)


if __name__ == "__main__":
    main()
