#!/usr/bin/python3
"""Compare two float32 logits files.

  /usr/bin/python3 compare.py ACTUAL.f32 EXPECTED.f32 --vocab V [--rtol 1e-4] [--min-rtol 0]

Prints `max_abs_err=... max_abs_logit=... ratio=...` and exits 0 iff
max|actual - expected| <= rtol * max|expected| (and both files have the same,
vocab-divisible number of float32 values, all finite); exits 1 otherwise.
--min-rtol R also requires max|actual - expected| >= R * max|expected|: a
check that a lossy path (a 16-bit KV cache) was really taken.
"""

import argparse
import os
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("actual")
    ap.add_argument("expected")
    ap.add_argument("--vocab", type=int, required=True)
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--min-rtol", type=float, default=0.0)
    a = ap.parse_args()

    for p in (a.actual, a.expected):
        if not os.path.isfile(p):
            print(f"error: no such file {p}")
            return 1
        sz = os.path.getsize(p)
        if sz % 4:
            print(f"error: {p} has {sz} bytes, not a whole number of float32 values")
            return 1
    act = np.fromfile(a.actual, dtype="<f4").astype(np.float64)
    exp = np.fromfile(a.expected, dtype="<f4").astype(np.float64)
    if act.size != exp.size:
        print(f"error: size mismatch: actual has {act.size} floats "
              f"({act.size / a.vocab:g} rows of vocab {a.vocab}), expected has {exp.size} "
              f"({exp.size / a.vocab:g} rows)")
        return 1
    if exp.size == 0 or exp.size % a.vocab:
        print(f"error: {exp.size} floats is not a positive multiple of vocab {a.vocab}")
        return 1
    if not np.isfinite(act).all():
        bad = int((~np.isfinite(act)).sum())
        print(f"max_abs_err=nan max_abs_logit={np.abs(exp).max():.6g} ratio=nan ({bad} non-finite actual values)")
        return 1
    err = np.abs(act - exp)
    max_err = float(err.max())
    max_logit = float(np.abs(exp).max())
    ratio = max_err / max_logit if max_logit > 0 else float("inf")
    row, col = divmod(int(err.argmax()), a.vocab)
    print(f"max_abs_err={max_err:.6g} max_abs_logit={max_logit:.6g} ratio={ratio:.6g} "
          f"(worst at position {row}, token {col}; rows={exp.size // a.vocab})")
    if max_err < a.min_rtol * max_logit:
        print(f"error: ratio {ratio:.6g} is below --min-rtol {a.min_rtol:g}: the lossy path was not taken")
        return 1
    return 0 if max_err <= a.rtol * max_logit else 1


if __name__ == "__main__":
    sys.exit(main())
