#!/usr/bin/python3
"""Writes classweights.json: scikit-learn's "balanced" class weights for the
ClassWeights parity test.

Run from the repository root with Debian's Python:

    /usr/bin/python3 train/testdata/gen_classweights.py > train/testdata/classweights.json

Weights are compute_class_weight("balanced", classes=range(C), y=labels),
float64; the Go function returns float32, so the test compares within the
tolerance recorded in the file (float32 rounding). Every class occurs in every
case: scikit-learn rejects a class with no example (ClassWeights gives it 0).
Go never rewrites classweights.json.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.utils.class_weight import compute_class_weight

TOLERANCE = 1e-6  # relative error of a float32 is at most 2^-24 ≈ 6e-8; weights here are < 20


def cases():
    yield "balanced", "every class equally often: all weights 1", 3, [0, 1, 2] * 4
    yield "two_classes", "1 vs 3 examples", 2, [0, 1, 1, 1]
    rng = np.random.default_rng(0)
    yield ("davidson_like_seed0", "class balance of the Davidson data (about 6/77/17 %), numpy default_rng seed 0",
           3, rng.choice(3, size=1000, p=[0.06, 0.77, 0.17]).tolist())
    rng = np.random.default_rng(1)
    yield "five_classes_seed1", "5 classes, skewed, numpy default_rng seed 1", 5, rng.choice(
        5, size=333, p=[0.05, 0.1, 0.2, 0.3, 0.35]).tolist()


def main():
    out = {
        "SOURCE": {
            "producer": "train/testdata/gen_classweights.py",
            "version": "scikit-learn %s, numpy %s, Python %s (Debian python3-sklearn)"
            % (sklearn.__version__, np.__version__, sys.version.split()[0]),
            "command": "/usr/bin/python3 train/testdata/gen_classweights.py > train/testdata/classweights.json",
            "tolerance": TOLERANCE,
        },
        "cases": [],
    }
    for name, reason, c, labels in cases():
        w = compute_class_weight("balanced", classes=np.arange(c), y=np.asarray(labels))
        out["cases"].append({"name": name, "reason": reason, "num_labels": c, "labels": labels,
                             "weights": [float(x) for x in w]})
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
