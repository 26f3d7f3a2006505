"""Print the Go/PyTorch ratio of each benchmark figure, for scripts/compare.sh.

Usage: /usr/bin/python3 ratios.py DIR [--json F]

DIR holds what compare.sh wrote:
  go.json             go run ./examples/bench -json (one flat object)
  py_lstm.json        anchors/lstm.py davidson unweighted --bench-inference --epochs 1 --json
  py_bert_tiny.json   anchors/bert_timing.py tiny --json
  py_bert_mini.json   anchors/bert_timing.py mini --json
  py_clean.json       scripts/clean_speed.py --json
  py_rss_NAME.txt     peak resident set size of each Python run, in KiB (ru_maxrss)

The ratio is Go/PyTorch for throughputs and PyTorch/Go for latencies and memory,
so a ratio above 1 always means Go is better. A figure either side did not
measure prints as "-". PyTorch's per-repetition values are reduced to their
median, as the scripts' own RESULT lines do. Standard library only.
"""
import argparse
import json
import os
import statistics

THROUGHPUT, LATENCY, MEMORY = "throughput", "latency", "memory"


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def load_rss_mb(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return int(f.read().strip()) / 1024


def dig(obj, *keys):
    for k in keys:
        if obj is None:
            return None
        obj = obj.get(k) if isinstance(obj, dict) else None
    return obj


def median(xs):
    return statistics.median(xs) if xs else None


def median_of(pairs, i):
    """median of the i-th element of per-repetition (median, p95) pairs"""
    return median([p[i] for p in pairs]) if pairs else None


def rows(d):
    go = load_json(os.path.join(d, "go.json")) or {}
    lstm = load_json(os.path.join(d, "py_lstm.json"))
    inf = dig(lstm, "inference")
    cl = load_json(os.path.join(d, "py_clean.json"))
    out = [
        ("LSTM train ex/s, no cleaning", "lstm_train_ex_per_s", dig(lstm, "median_epoch_ex_per_s"), THROUGHPUT,
         "Go: pre-cleaned text, still split and looked up; PyTorch: pre-tokenised ids"),
        ("LSTM train ex/s, raw tweets", "lstm_train_incl_clean_ex_per_s", None, THROUGHPUT, "Go only"),
        ("LSTM infer b256 tweets/s, clean+tok", "lstm_infer_b256_per_s",
         median(dig(inf, "thr_b256_incl_tok")), THROUGHPUT, ""),
        ("LSTM infer b256 tweets/s, no clean+tok", "lstm_infer_b256_excl_tok_per_s",
         median(dig(inf, "thr_b256_excl_tok")), THROUGHPUT, "Go: no API taking ids"),
        ("LSTM infer b256 tweets/s, pre-cleaned", "lstm_infer_b256_precleaned_per_s",
         median(dig(inf, "thr_b256_excl_tok")), THROUGHPUT, "vs PyTorch on ids; Go still splits and looks up"),
        ("LSTM b1 latency ms p50, clean+tok", "lstm_infer_b1_ms_p50",
         median_of(dig(inf, "lat_b1_incl_tok_ms"), 0), LATENCY, ""),
        ("LSTM b1 latency ms p95, clean+tok", "lstm_infer_b1_ms_p95",
         median_of(dig(inf, "lat_b1_incl_tok_ms"), 1), LATENCY, ""),
        ("LSTM b1 latency ms p50, pre-cleaned", "lstm_infer_b1_precleaned_ms_p50",
         median_of(dig(inf, "lat_b1_excl_tok_ms"), 0), LATENCY, "vs PyTorch on ids"),
        ("LSTM b1 latency ms p95, pre-cleaned", "lstm_infer_b1_precleaned_ms_p95",
         median_of(dig(inf, "lat_b1_excl_tok_ms"), 1), LATENCY, "vs PyTorch on ids"),
    ]
    for shape in ("tiny", "mini"):
        b = load_json(os.path.join(d, "py_bert_%s.json" % shape))
        p = "bert_%s_" % shape
        lat = dig(b, "infer", "b1_lat_ms_reps")
        out += [
            ("BERT %s train seq/s b32x64" % shape, p + "train_seq_per_s", dig(b, "train", "seq_per_s"), THROUGHPUT,
             "Go includes cleaning and WordPiece"),
            ("BERT %s infer seq/s b64x64" % shape, p + "infer_b64_seq_per_s",
             median(dig(b, "infer", "b64_seq_per_s_reps")), THROUGHPUT, "Go includes cleaning and WordPiece"),
            ("BERT %s b1 latency ms p50" % shape, p + "b1_ms_p50", median_of(lat, 0), LATENCY, ""),
            ("BERT %s b1 latency ms p95" % shape, p + "b1_ms_p95", median_of(lat, 1), LATENCY, ""),
        ]
    out += [
        ("cleaner tweets/s", "clean_tweet_tweets_per_s", dig(cl, "tweets_per_s"), THROUGHPUT,
         "textclean.Tweet vs anchors clean.clean"),
        ("WordPiece tokens/s", "wordpiece_tokens_per_s", None, THROUGHPUT, "Go only"),
    ]
    for name, py_name, what in (("lstm", "lstm", "lstm.py run"), ("bert_tiny", "bert_tiny", "bert_timing.py tiny"),
                                ("bert_mini", "bert_mini", "bert_timing.py mini")):
        out.append(("peak RSS MB, %s" % name.replace("_", " "), "peak_rss_mb_" + name,
                    load_rss_mb(os.path.join(d, "py_rss_%s.txt" % py_name)), MEMORY,
                    "Go section vs whole %s" % what))
    return [(label, key, go.get(key), py, kind, note) for label, key, py, kind, note in out]


def ratio(go, py, kind):
    if go is None or py is None or go <= 0 or py <= 0:
        return None
    return go / py if kind == THROUGHPUT else py / go


def fmt(v, kind):
    if v is None:
        return "-"
    if kind == LATENCY:
        return "%.2f" % v
    return "%.0f" % v if v >= 100 else "%.1f" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--json", default=None, help="also write the table as JSON here")
    a = ap.parse_args()
    table = rows(a.dir)
    head = ("figure", "Go", "PyTorch", "ratio", "note")
    lines = [head] + [(label, fmt(g, k), fmt(p, k),
                       "-" if ratio(g, p, k) is None else "%.2fx" % ratio(g, p, k), note)
                      for label, key, g, p, k, note in table]
    w = [max(len(l[i]) for l in lines) for i in range(4)]
    for l in lines:
        print("%-*s  %*s  %*s  %*s  %s" % (w[0], l[0], w[1], l[1], w[2], l[2], w[3], l[3], l[4]))
    rs = [ratio(g, p, k) for _, _, g, p, k, _ in table if k != MEMORY and ratio(g, p, k) is not None]
    print("ratio > 1: Go is better (faster, or less memory).")
    if rs:
        print("geometric mean of the %d speed ratios: %.2fx" % (len(rs), statistics.geometric_mean(rs)))
    if a.json:
        res = {key: dict(figure=label, go=g, pytorch=p, kind=k, ratio=ratio(g, p, k), note=note)
               for label, key, g, p, k, note in table}
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
