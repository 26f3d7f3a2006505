"""Time the reference cleaner (anchors/clean.py clean()) over the Davidson train
tweets, for scripts/compare.sh: the Python counterpart of the Go benchmark's
clean_tweet_tweets_per_s (textclean.Tweet{}.Clean).

Usage: /usr/bin/python3 clean_speed.py ANCHORS_DIR --json F [--passes 3]

One warm-up pass, then --passes timed passes; the figure is the median pass.
Standard library only (clean.py imports html and re).
"""
import argparse
import csv
import json
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("anchors", help="the directory of the reference scripts (shared/anchors)")
    ap.add_argument("--json", required=True, help="write the result here")
    ap.add_argument("--passes", type=int, default=3)
    a = ap.parse_args()
    sys.path.insert(0, a.anchors)
    import clean  # the reference cleaner, from the anchors directory

    path = os.path.join(a.anchors, "..", "data", "davidson", "train.csv")
    with open(path, newline="", encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    for t in texts:  # warm-up
        clean.clean(t)
    rates = []
    for _ in range(a.passes):
        t0 = time.perf_counter()
        for t in texts:
            clean.clean(t)
        rates.append(len(texts) / (time.perf_counter() - t0))
    res = dict(tweets=len(texts), passes_tweets_per_s=rates, tweets_per_s=statistics.median(rates))
    print("clean.clean over %d tweets: %s tweets/s -> median %.0f" % (
        len(texts), ["%.0f" % r for r in rates], res["tweets_per_s"]))
    with open(a.json, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
