#!/usr/bin/python3
"""Writes metrics.json: scikit-learn's classification metrics for the parity test.

Run from the repository root with Debian's Python:

    /usr/bin/python3 evaluate/testdata/gen_metrics.py > evaluate/testdata/metrics.json

Every case passes labels=range(C) and zero_division=0, the definitions of
STYLE.md §6. The Go test (evaluate/parity_test.go) compares within the
tolerance recorded in the file. Go never rewrites metrics.json.
"""
import json
import sys
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, classification_report,
                             confusion_matrix, precision_recall_fscore_support)

TOLERANCE = 1e-12

DAVIDSON = ["hate", "offensive", "neither"]
FIVE = ["a", "bb", "ccc", "dddd", "a name longer than weighted avg"]


def noisy(rng, n, c, p_correct, gold_p=None):
    gold = rng.choice(c, size=n, p=gold_p)
    pred = np.where(rng.random(n) < p_correct, gold, rng.integers(0, c, size=n))
    return gold.tolist(), pred.tolist()


def cases():
    rng = np.random.default_rng(0)
    g, p = noisy(rng, 200, 3, 0.6)
    yield "random3_seed0", "3 classes, 60% correct, uniform gold (numpy default_rng seed 0)", DAVIDSON, g, p

    rng = np.random.default_rng(1)
    g, p = noisy(rng, 500, 5, 0.5, gold_p=[0.05, 0.15, 0.3, 0.3, 0.2])
    yield "random5_seed1", "5 classes, imbalanced gold, 50% correct, long label name widens the report", FIVE, g, p

    rng = np.random.default_rng(2)
    g, p = noisy(rng, 300, 3, 0.7, gold_p=[0.06, 0.77, 0.17])
    yield "davidson_like_seed2", "class balance of the Davidson data, 70% correct", DAVIDSON, g, p

    rng = np.random.default_rng(3)
    g, p = noisy(rng, 120, 3, 0.5)
    p = [x if x != 0 else 1 for x in p]
    yield "never_predicted", "class 0 is never predicted: precision 0/0 counts as 0", DAVIDSON, g, p

    rng = np.random.default_rng(4)
    g, p = noisy(rng, 120, 3, 0.5)
    g = [x if x != 1 else 2 for x in g]
    yield "never_present", "class 1 never occurs in gold: recall 0/0 counts as 0, support 0, still in macro", DAVIDSON, g, p

    rng = np.random.default_rng(5)
    g, p = noisy(rng, 80, 4, 0.5)
    yield "unused_label", "label 4 is neither present nor predicted: all zeros, still in macro", FIVE, g, p

    g = [0, 1, 2, 2, 1, 0, 2, 2, 2, 1]
    yield "all_correct", "perfect predictions: every metric 1 except unused labels", DAVIDSON, g, list(g)

    g = [0, 1, 2, 2, 1, 0, 2, 2, 2, 1]
    p = [(x + 1) % 3 for x in g]
    yield "all_wrong", "no prediction is right: every metric 0", DAVIDSON, g, p

    g = [1] * 7
    p = [1, 1, 0, 2, 1, 1, 0]
    yield "single_class_present", "only class 1 occurs in gold", DAVIDSON, g, p

    yield "one_example", "a single correct example", ["x", "y"], [1], [1]


def expected(labels, gold, pred):
    c = len(labels)
    lab = list(range(c))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=lab, zero_division=0)
    out = {
        "accuracy": accuracy_score(gold, pred),
        "per_class": [
            {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i in range(c)
        ],
        "confusion": confusion_matrix(gold, pred, labels=lab).tolist(),
        "report_text": classification_report(gold, pred, labels=lab, target_names=labels, zero_division=0),
    }
    for avg in ("macro", "micro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(gold, pred, labels=lab, average=avg, zero_division=0)
        out[avg] = {"precision": float(ap), "recall": float(ar), "f1": float(af)}
    return out


def main():
    warnings.simplefilter("error")  # any sklearn warning would mean a case is not what it claims
    out = {
        "SOURCE": {
            "producer": "evaluate/testdata/gen_metrics.py",
            "version": "scikit-learn %s, numpy %s, Python %s (Debian python3-sklearn)"
            % (sklearn.__version__, np.__version__, sys.version.split()[0]),
            "command": "/usr/bin/python3 evaluate/testdata/gen_metrics.py > evaluate/testdata/metrics.json",
            "definitions": "labels=range(len(labels)), zero_division=0; report_text from classification_report(digits=2)",
            "tolerance": TOLERANCE,
        },
        "cases": [],
    }
    for name, reason, labels, gold, pred in cases():
        out["cases"].append({"name": name, "reason": reason, "labels": labels,
                             "gold": gold, "pred": pred, "expected": expected(labels, gold, pred)})
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
