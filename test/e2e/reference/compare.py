#!/usr/bin/python3
"""Compare two float32 logits files.

  /usr/bin/python3 compare.py ACTUAL.f32 EXPECTED.f32 --vocab V [--rtol 1e-4] [--min-rtol 0]
                             [--repeat N]

Prints `max_abs_err=... max_abs_logit=... ratio=...` and exits 0 iff
max|actual - expected| <= rtol * max|expected| (and both files have the same,
vocab-divisible number of float32 values, all finite); exits 1 otherwise.
--min-rtol R also requires max|actual - expected| >= R * max|expected|: a
check that a lossy path (a 16-bit KV cache) was really taken. --repeat N
compares ACTUAL with N copies of EXPECTED one after another (the sessions of
`tfc-run --batch N`). compare() is the
same check for a script comparing many files in one process
(check-passes-off.sh).
"""

import argparse
import os
import sys

import numpy as np


def compare(actual, expected, vocab, rtol=1e-4, min_rtol=0.0, repeat=1):
    """(ok, report): the lines main prints for ACTUAL against EXPECTED."""
    for p in (actual, expected):
        if not os.path.isfile(p):
            return False, f"error: no such file {p}"
        sz = os.path.getsize(p)
        if sz % 4:
            return False, f"error: {p} has {sz} bytes, not a whole number of float32 values"
    act = np.fromfile(actual, dtype="<f4").astype(np.float64)
    exp = np.tile(np.fromfile(expected, dtype="<f4").astype(np.float64), repeat)
    if act.size != exp.size:
        return False, (f"error: size mismatch: actual has {act.size} floats "
                       f"({act.size / vocab:g} rows of vocab {vocab}), expected has {exp.size} "
                       f"({exp.size / vocab:g} rows)")
    if exp.size == 0 or exp.size % vocab:
        return False, f"error: {exp.size} floats is not a positive multiple of vocab {vocab}"
    if not np.isfinite(act).all():
        bad = int((~np.isfinite(act)).sum())
        return False, (f"max_abs_err=nan max_abs_logit={np.abs(exp).max():.6g} ratio=nan "
                       f"({bad} non-finite actual values)")
    err = np.abs(act - exp)
    max_err = float(err.max())
    max_logit = float(np.abs(exp).max())
    ratio = max_err / max_logit if max_logit > 0 else float("inf")
    row, col = divmod(int(err.argmax()), vocab)
    report = (f"max_abs_err={max_err:.6g} max_abs_logit={max_logit:.6g} ratio={ratio:.6g} "
              f"(worst at position {row}, token {col}; rows={exp.size // vocab})")
    if max_err < min_rtol * max_logit:
        return False, (report + f"\nerror: ratio {ratio:.6g} is below --min-rtol {min_rtol:g}: "
                       "the lossy path was not taken")
    return max_err <= rtol * max_logit, report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("actual")
    ap.add_argument("expected")
    ap.add_argument("--vocab", type=int, required=True)
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--min-rtol", type=float, default=0.0)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    ok, report = compare(a.actual, a.expected, a.vocab, a.rtol, a.min_rtol,
                         a.repeat)
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
