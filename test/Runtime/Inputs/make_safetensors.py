#!/usr/bin/env python3
"""make_safetensors.py - checkpoints for the fake model of fake_model.c.

    make_safetensors.py OUTDIR

writes one directory per case under OUTDIR (see CASES at the bottom). The
safetensors files are written by hand (8-byte little-endian header length,
JSON header padded with spaces to a multiple of 8 as the reference writer
does, then the data), so the tests need no safetensors package.

The weights are small multiples of 1/2, exact in F32, F16 and BF16, so every
dtype must give the same logits. fake_reference.py computes those logits.
"""
import json
import os
import struct
import sys

import numpy as np

VOCAB, HIDDEN = 8, 4


def default_weights():
    """The fake model's weights, as float32 arrays (exact in bf16/f16)."""
    t = np.arange(VOCAB)[:, None]
    j = np.arange(HIDDEN)[None, :]
    embed = (((3 * t + 5 * j) % 7) - 3) * 0.5
    norm = np.array([1.0, 0.5, 2.0, -1.0])
    # Rows 0-3 are the identity, so logits[:, 0:4] show x itself.
    head = np.concatenate([np.eye(HIDDEN),
                           [[1, 1, 1, 1], [-1, -1, -1, -1],
                            [0.5, -0.5, 0.5, -0.5], [0, 2, 0, -2]]])
    return {"embed.weight": embed.astype(np.float32),
            "norm.weight": norm.astype(np.float32),
            "head.weight": head.astype(np.float32)}


def special_weights(dtype):
    """Weights whose embed row 0 holds edge values of `dtype` (F16 or BF16):
    with token 0 at position 0, logits[0, 0:4] are exactly these values."""
    w = default_weights()
    w["norm.weight"] = np.ones(HIDDEN, np.float32)
    if dtype == "F16":
        # smallest subnormal 2^-24, largest subnormal, -smallest normal, max.
        row = np.array([0x0001, 0x03FF, 0x8400, 0x7BFF], np.uint16).view(np.float16)
    else:
        # smallest subnormal 2^-133, 1/3 rounded, -max finite, 1.0078125.
        bits = np.array([0x0001, 0x3EAB, 0xFF7F, 0x3F81], np.uint32) << 16
        row = bits.view(np.float32)
    w["embed.weight"][0] = row.astype(np.float32)
    return w


def encode(array, dtype):
    """Little-endian bytes of `array` (float32 values) as safetensors `dtype`."""
    if dtype == "F32":
        return array.astype("<f4").tobytes()
    if dtype == "F16":
        return array.astype("<f2").tobytes()
    if dtype == "BF16":
        bits = array.astype("<f4").view("<u4")
        assert (bits & 0xFFFF == 0).all(), "value not exact in bf16"
        return (bits >> 16).astype("<u2").tobytes()
    if dtype == "I64":
        return array.astype("<i8").tobytes()
    if dtype == "I32":
        return array.astype("<i4").tobytes()
    raise ValueError(dtype)


def safetensors_bytes(tensors, metadata=None, overrides=None, misalign=False):
    """tensors: list of (name, array, dtype). overrides: {name: {key: value}}
    replaces header fields, to write inconsistent headers on purpose.
    misalign: two more spaces of padding, so the data starts 2 bytes past a
    multiple of 8 (F32 tensors are then not 4-byte aligned in memory)."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    for name, array, dtype in tensors:
        blob = encode(array, dtype)
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [len(data), len(data) + len(blob)]}
        header[name].update((overrides or {}).get(name, {}))
        data += blob
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    if misalign:
        text += b"  "
    return struct.pack("<Q", len(text)) + text + data


def write(path, blob):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(blob)


def model_file(tensors, **kwargs):
    return safetensors_bytes(tensors, metadata={"format": "pt"}, **kwargs)


def round_weights():
    """norm in F32 values that bf16 must round (ties to even, and above a
    tie), and embed row 0 all ones, so logits[0, 0:4] with token 0 show the
    rounded norm: 1 + 2^-8 -> 1, 1 + 3 * 2^-8 -> 1 + 2^-6, 1 + 2^-8 + 2^-16
    -> 1 + 2^-7, -(1 + 2^-8) -> -1."""
    w = default_weights()
    w["norm.weight"] = np.array([1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-8 + 2**-16,
                                 -(1 + 2**-8)], np.float32)
    w["embed.weight"][0] = 1
    return w


def native(weights=None, prefix=""):
    """The dtypes the fake model reads: embed and head F32, norm BF16."""
    w = weights or default_weights()
    return [(("" if n == "head.weight" else prefix) + n, a,
             "BF16" if n == "norm.weight" else "F32") for n, a in w.items()]


def all_as(dtype, weights=None):
    weights = weights or default_weights()
    return [(name, array, dtype) for name, array in weights.items()]


def main(out):
    w = default_weights()
    good = model_file(all_as("F32"))
    cases = {
        "f32": good,
        "f16": model_file(all_as("F16")),
        "bf16": model_file(all_as("BF16")),
        # Read in place: every tensor in the dtype the model reads.
        "native": model_file(native()),
        # Full-model names for FAKE_MANIFEST=20 (base_model_prefix model.),
        # with its optional tensor.
        "prefixed": model_file(native(prefix="model.") + [
            ("model.spare.weight", np.zeros(2, np.float32), "F32")]),
        "prefixed-missing": model_file(
            [t for t in native(prefix="model.") if "norm" not in t[0]]),
        # Base-model names for FAKE_MANIFEST=20, with the optional tensor.
        "base-spare": model_file(native() + [
            ("spare.weight", np.zeros(2, np.float32), "F32")]),
        "no-norm": model_file([t for t in native() if "norm" not in t[0]]),
        # The default manifest's optional tensor.
        "optional": model_file(all_as("F32") + [
            ("head.bias", np.zeros(8, np.float32), "F32")]),
        # Data 2 bytes off 4-byte alignment: embed and head are copied.
        "misaligned": model_file(native(), misalign=True),
        # F32 norm that bf16 must round.
        "round": model_file(all_as("F32", round_weights())),
        "mixed": model_file([("embed.weight", w["embed.weight"], "F16"),
                             ("norm.weight", w["norm.weight"], "F32"),
                             ("head.weight", w["head.weight"], "BF16")]),
        "special-f16": model_file(all_as("F16", special_weights("F16"))),
        "special-bf16": model_file(all_as("BF16", special_weights("BF16"))),
        "missing": model_file([t for t in all_as("F32") if t[0] != "head.weight"]),
        "extra": model_file(all_as("F32") + [
            ("lm.extra", np.zeros((2, 2), np.float32), "F32")]),
        # Buffers of old checkpoints that binding skips.
        "ignored": model_file(all_as("F32") + [
            ("model.layers.0.self_attn.rotary_emb.inv_freq",
             np.ones(2, np.float32), "F32"),
            ("h.0.attn.bias", np.ones((1, 1, 4, 4), np.float32), "F32"),
            ("h.0.attn.masked_bias", np.ones(1, np.float32), "F32")]),
        "wrong-shape": model_file([
            ("embed.weight", w["embed.weight"].T.copy(), "F32"),
            ("norm.weight", w["norm.weight"], "F32"),
            ("head.weight", w["head.weight"], "F32")]),
        "wrong-dtype": model_file([
            ("embed.weight", w["embed.weight"], "F32"),
            ("norm.weight", w["norm.weight"], "F32"),
            ("head.weight", w["head.weight"], "I64")]),
        # Every kind of problem at once: one message must list all four.
        "many": model_file([
            ("embed.weight", w["embed.weight"], "I32"),
            ("norm.weight", w["norm.weight"].reshape(1, 4), "F32"),
            ("zz.unused", np.zeros(3, np.float32), "F32")]),
        "truncated": good[:-10],
        "truncated-header": good[:20],
        "tiny": good[:5],
        "corrupt-header": good[:8] + b"#" + good[9:],
        "huge-header-length": struct.pack("<Q", 1 << 40) + good[8:],
        "inconsistent-offsets": model_file(all_as("F32"), overrides={
            "embed.weight": {"data_offsets": [0, 100]}}),
        "overlapping-tensors": model_file(all_as("F32"), overrides={
            "head.weight": {"data_offsets": [0, 128]}}),
        "unknown-dtype": model_file(all_as("F32"), overrides={
            "norm.weight": {"dtype": "F7"}}),
        "not-an-object": struct.pack("<Q", 8) + b"[1,2,3] ",
    }
    for name, blob in cases.items():
        write(os.path.join(out, name, "model.safetensors"), blob)

    # Sharded: embed and norm in shard 1, head in shard 2.
    shards = {"model-00001-of-00002.safetensors": all_as("F32")[:2],
              "model-00002-of-00002.safetensors": all_as("BF16")[2:]}
    index = {"metadata": {"total_size": 320},
             "weight_map": {n: f for f, ts in shards.items() for n, _, _ in ts}}
    for case in ["sharded", "sharded-missing-shard", "sharded-bad-map"]:
        for f, ts in shards.items():
            if case == "sharded-missing-shard" and f.startswith("model-00002"):
                continue
            write(os.path.join(out, case, f), model_file(ts))
    write(os.path.join(out, "sharded", "model.safetensors.index.json"),
          json.dumps(index, indent=2).encode())
    write(os.path.join(out, "sharded-missing-shard",
                       "model.safetensors.index.json"),
          json.dumps(index).encode())
    bad_map = json.loads(json.dumps(index))
    bad_map["weight_map"]["head.weight"] = "model-00001-of-00002.safetensors"
    write(os.path.join(out, "sharded-bad-map", "model.safetensors.index.json"),
          json.dumps(bad_map).encode())
    write(os.path.join(out, "bad-index", "model.safetensors.index.json"),
          b'{"metadata": {}}')
    os.makedirs(os.path.join(out, "empty"), exist_ok=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_safetensors.py OUTDIR")
    main(sys.argv[1])
