"""Writes the word-vocabulary parity fixtures for tokenize.Vocab (see SOURCE beside this file).

Usage: /usr/bin/python3 tokenize/testdata/vocab/gen_vocab.py [--anchors DIR] [--out DIR]

It imports the reference BiLSTM pipeline instead of copying it: clean.tokenize for the
cleaned token lists, and lstm.build_vocab / lstm.encode / lstm.MAX_LEN for the vocabulary
and the ids (lstm.py keeps its training behind a __main__ guard, so importing it only
defines functions). DIR defaults to ../shared/anchors from the project root.

Outputs (in --out, default: this script's directory):
  train_tokens.txt.gz  clean.tokenize of every text of davidson train.csv, one text per
                       line, tokens joined by single spaces (gzip with mtime 0, so reruns
                       are byte-identical)
  vocab.json           lstm.build_vocab(train tokens, min_freq=2) in id order, in the
                       format of tokenize.Vocab.WriteTo (format_version 1)
  encode.json          the first 300 val texts' token lists plus a few synthetic rows
                       (empty text, unknown words, a 100-token text), each with the ids
                       and length lstm.encode gives (truncated to MAX_LEN, unpadded)
"""
import argparse
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
MIN_FREQ = 2
N_VAL = 300


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--anchors", default=os.path.join(ROOT, "..", "shared", "anchors"))
    ap.add_argument("--out", default=HERE)
    a = ap.parse_args()

    sys.path.insert(0, os.path.abspath(a.anchors))
    import common  # noqa: E402  (anchors: dataset loading)
    from clean import tokenize  # noqa: E402
    from lstm import MAX_LEN, build_vocab, encode  # noqa: E402

    data = common.load("davidson")
    train = [tokenize(t) for t in data["train"][0]]
    stoi = build_vocab(train, min_freq=MIN_FREQ)
    itos = sorted(stoi, key=stoi.get)
    assert [stoi[w] for w in itos] == list(range(len(itos))), "build_vocab ids are not dense"

    rows = [dict(source="val[%d]" % i, tokens=tokenize(t)) for i, t in enumerate(data["val"][0][:N_VAL])]
    rows += [
        dict(source="synthetic: empty text", tokens=[]),
        dict(source="synthetic: words outside the vocabulary",
             tokens=["zzzqqq", "the", "qqqzzz", "<unk>"]),
        dict(source="synthetic: 100 tokens, longer than MAX_LEN",
             tokens=[itos[2 + i % 50] if i % 7 else "notaword%d" % i for i in range(100)]),
    ]
    ids, lens = encode([r["tokens"] for r in rows], stoi)
    for r, row, n in zip(rows, ids.tolist(), lens.tolist()):
        r["ids"] = row[:n]
        assert all(v == 0 for v in row[n:]), "encode did not pad with 0"

    os.makedirs(a.out, exist_ok=True)
    lines = "".join(" ".join(t) + "\n" for t in train).encode("utf-8")
    with open(os.path.join(a.out, "train_tokens.txt.gz"), "wb") as f:
        f.write(gzip.compress(lines, compresslevel=9, mtime=0))
    vocab = {"format_version": 1, "pad": itos[0], "unk": itos[1], "tokens": itos}
    with open(os.path.join(a.out, "vocab.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(vocab, indent=2, ensure_ascii=False) + "\n")
    enc = {"min_freq": MIN_FREQ, "max_len": MAX_LEN, "rows": rows}
    with open(os.path.join(a.out, "encode.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(enc, ensure_ascii=False, separators=(",", ":")).replace('{"source"', '\n{"source"') + "\n")
    print("train texts %d, vocab %d (min_freq %d), encode rows %d, max_len %d" % (
        len(train), len(itos), MIN_FREQ, len(rows), MAX_LEN))


if __name__ == "__main__":
    main()
