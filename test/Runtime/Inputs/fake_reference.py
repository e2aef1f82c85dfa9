#!/usr/bin/env python3
"""fake_reference.py - numpy reference of the fake model in fake_model.c.

    fake_reference.py logits TOKENS [--weights default|special-f16|special-bf16|round]
        prints the reference logits, one row per prompt position
    fake_reference.py compare DUMP.f32 TOKENS [--weights ...]
        compares a tfc-run --dump-logits file with the reference, prints the
        rows and "max abs error", exits 1 on any difference
    fake_reference.py greedy TOKENS N
        prints the N greedy ids tfc-run --max-new-tokens N must print

The reference recomputes the whole sequence at once (no KV cache), from the
arrays make_safetensors.py encodes, not from the files: it checks both the
runtime's conversion and its cache handling. The comparison is exact, with
no tolerance, because no logit depends on the order of summation: the default
weights give multiples of 1/8 far below 2^24 (exact f32 sums), and in the
special sets every sum is exact or dominated by one term that absorbs the
others in any order.
"""
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_safetensors import (default_weights, round_weights,  # noqa: E402
                              special_weights)


def weights(name):
    if name == "default":
        return default_weights()
    if name == "round":
        return round_weights()
    return special_weights({"special-f16": "F16", "special-bf16": "BF16"}[name])


def to_bf16(a):
    """f32 -> bf16 -> f32, rounding to nearest even, as the model reads norm
    (finite values only, which is all the weight sets hold)."""
    bits = a.astype(np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def reference_logits(tokens, w):
    h = w["embed.weight"][tokens] * to_bf16(w["norm.weight"])
    p = np.arange(len(tokens), dtype=np.float32)
    x = np.cumsum(h, axis=0) + np.stack([p, -p, 0 * p, 0 * p], axis=1)
    return (x @ w["head.weight"].T).astype(np.float32)


def fmt(row):
    return " ".join("%.9g" % v for v in row)


def main(argv):
    set_name = "default"
    if "--weights" in argv:
        i = argv.index("--weights")
        set_name = argv[i + 1]
        del argv[i:i + 2]
    w = weights(set_name)
    cmd = argv[0]
    if cmd == "logits":
        tokens = [int(t) for t in argv[1].split(",")]
        for row in reference_logits(tokens, w):
            print(fmt(row))
    elif cmd == "compare":
        tokens = [int(t) for t in argv[2].split(",")]
        want = reference_logits(tokens, w)
        got = np.fromfile(argv[1], dtype="<f4")
        if got.size != want.size:
            print("size mismatch: got %d floats, want %d" % (got.size, want.size))
            return 1
        got = got.reshape(want.shape)
        for row in got:
            print(fmt(row))
        err = float(np.max(np.abs(got.astype(np.float64) - want)))
        print("max abs error: %g" % err)
        return 0 if err == 0 else 1
    elif cmd == "greedy":
        tokens = [int(t) for t in argv[1].split(",")]
        out = []
        for _ in range(int(argv[2])):
            nxt = int(np.argmax(reference_logits(tokens, w)[-1]))
            out.append(nxt)
            tokens.append(nxt)
        print(",".join(map(str, out)))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
