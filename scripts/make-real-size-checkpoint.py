#!/usr/bin/env python3
"""make-real-size-checkpoint.py: a random-weight Hugging Face checkpoint with a published model's shapes.

usage: make-real-size-checkpoint.py --shape llama-3.2-1b|llama-3-8b OUTDIR [--seed N]

Writes OUTDIR/config.json (the published config.json of meta-llama/Llama-3.2-1B or
meta-llama/Meta-Llama-3-8B) and bf16 safetensors with the published tensor names and shapes:
  llama-3.2-1b  model.safetensors (tied embeddings: no lm_head.weight), 1.24 B parameters, 2.5 GB
  llama-3-8b    model-0000N-of-00004.safetensors + model.safetensors.index.json, 8.03 B parameters,
                16 GB, split as save_pretrained(max_shard_size="5GB") splits it (the published
                shards are 4.98 / 5.00 / 4.92 / 1.17 GB)
Weights are random (numpy default_rng, per tensor seed): matrices normal * 0.02, RMSNorm weights
1 + normal * 0.02, so logits stay finite. Nothing is held whole in memory: each shard's header is
written first, then each tensor is generated and written in chunks. bf16 is the float32 bit pattern
rounded to nearest even, top 16 bits.
Idempotent: if OUTDIR already holds a complete checkpoint of that shape (same config.json, every
shard present with its exact size), it does nothing. Shards are written to *.tmp and renamed;
config.json is written last.
Only numpy is needed.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np

CONFIGS = {
    # https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json
    "llama-3.2-1b": {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 128000,
        "eos_token_id": 128001,
        "head_dim": 64,
        "hidden_act": "silu",
        "hidden_size": 2048,
        "initializer_range": 0.02,
        "intermediate_size": 8192,
        "max_position_embeddings": 131072,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 32,
        "num_hidden_layers": 16,
        "num_key_value_heads": 8,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": {
            "factor": 32.0,
            "high_freq_factor": 4.0,
            "low_freq_factor": 1.0,
            "original_max_position_embeddings": 8192,
            "rope_type": "llama3",
        },
        "rope_theta": 500000.0,
        "tie_word_embeddings": True,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.45.0.dev0",
        "use_cache": True,
        "vocab_size": 128256,
    },
    # https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json
    "llama-3-8b": {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 128000,
        "eos_token_id": 128001,
        "hidden_act": "silu",
        "hidden_size": 4096,
        "initializer_range": 0.02,
        "intermediate_size": 14336,
        "max_position_embeddings": 8192,
        "model_type": "llama",
        "num_attention_heads": 32,
        "num_hidden_layers": 32,
        "num_key_value_heads": 8,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.40.0.dev0",
        "use_cache": True,
        "vocab_size": 128256,
    },
}
N_SHARDS = {"llama-3.2-1b": 1, "llama-3-8b": 4}
MAX_SHARD_BYTES = 5 * 10**9  # save_pretrained's "5GB"
CHUNK = 1 << 23  # elements generated at once (32 MB of float32)


def tensors(cfg):
    """(name, shape, kind) in state_dict order, kind 'mat' or 'norm'."""
    h, ff, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim") or h // nh
    out = [("model.embed_tokens.weight", (v, h), "mat")]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out += [
            (p + "self_attn.q_proj.weight", (nh * hd, h), "mat"),
            (p + "self_attn.k_proj.weight", (nkv * hd, h), "mat"),
            (p + "self_attn.v_proj.weight", (nkv * hd, h), "mat"),
            (p + "self_attn.o_proj.weight", (h, nh * hd), "mat"),
            (p + "mlp.gate_proj.weight", (ff, h), "mat"),
            (p + "mlp.up_proj.weight", (ff, h), "mat"),
            (p + "mlp.down_proj.weight", (h, ff), "mat"),
            (p + "input_layernorm.weight", (h,), "norm"),
            (p + "post_attention_layernorm.weight", (h,), "norm"),
        ]
    out.append(("model.norm.weight", (h,), "norm"))
    if not cfg["tie_word_embeddings"]:
        out.append(("lm_head.weight", (v, h), "mat"))
    return out


def nbytes(shape):
    return int(np.prod(shape)) * 2


def plan(shape_name):
    """[(filename, [(name, shape, kind, seed_index), ...]), ...]"""
    cfg = CONFIGS[shape_name]
    ts = [(n, s, k, i) for i, (n, s, k) in enumerate(tensors(cfg))]
    n = N_SHARDS[shape_name]
    if n == 1:
        return [("model.safetensors", ts)]
    shards, cur, size = [], [], 0
    for t in ts:  # save_pretrained's greedy split, in state_dict order
        b = nbytes(t[1])
        if cur and size + b > MAX_SHARD_BYTES:
            shards.append(cur)
            cur, size = [], 0
        cur.append(t)
        size += b
    shards.append(cur)
    assert len(shards) == n, (shape_name, len(shards))
    return [(f"model-{k + 1:05d}-of-{n:05d}.safetensors", s) for k, s in enumerate(shards)]


def header_bytes(ts):
    """safetensors header (u64 length + JSON padded with spaces to 8) with tensors laid out by name."""
    meta = {"__metadata__": {"format": "pt"}}
    off = 0
    order = sorted(ts, key=lambda t: t[0])  # safetensors' serializer lays tensors out sorted by name
    for name, shape, _, _ in order:
        b = nbytes(shape)
        meta[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [off, off + b]}
        off += b
    js = json.dumps(meta, separators=(",", ":")).encode()
    js += b" " * ((8 - len(js) % 8) % 8)
    return struct.pack("<Q", len(js)) + js, order, off


def to_bf16(x):
    """float32 array -> uint16 bf16 bits, round to nearest even."""
    bits = x.view(np.uint32)
    bits += np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (bits >> np.uint32(16)).astype(np.uint16)


def write_tensor(f, shape, kind, rng):
    n = int(np.prod(shape))
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        x = rng.standard_normal(m, dtype=np.float32)
        x *= np.float32(0.02)
        if kind == "norm":
            x += np.float32(1.0)
        f.write(to_bf16(x).tobytes())


def complete(outdir, shape_name, files):
    cfgp = os.path.join(outdir, "config.json")
    try:
        with open(cfgp) as f:
            if json.load(f) != CONFIGS[shape_name]:
                return False
    except (OSError, ValueError):
        return False
    for fn, ts in files:
        hb, _, data = header_bytes(ts)
        p = os.path.join(outdir, fn)
        if not os.path.isfile(p) or os.path.getsize(p) != len(hb) + data:
            return False
    if len(files) > 1 and not os.path.isfile(os.path.join(outdir, "model.safetensors.index.json")):
        return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", required=True, choices=sorted(CONFIGS))
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    cfg = CONFIGS[a.shape]
    files = plan(a.shape)
    total = sum(nbytes(s) for _, ts in files for _, s, _, _ in ts)
    params = total // 2
    if complete(a.outdir, a.shape, files):
        print(f"make-real-size-checkpoint: {a.outdir} already holds {a.shape} ({params / 1e9:.2f} B params)")
        return
    os.makedirs(a.outdir, exist_ok=True)
    try:  # an incomplete earlier run: its config.json must not make the directory look usable
        os.remove(os.path.join(a.outdir, "config.json"))
    except FileNotFoundError:
        pass
    print(f"make-real-size-checkpoint: {a.shape}: {params / 1e9:.2f} B params, {total / 1e9:.2f} GB bf16, "
          f"{len(files)} file(s) -> {a.outdir}", flush=True)
    t0 = time.time()
    done = 0
    weight_map = {}
    for fn, ts in files:
        hb, order, data = header_bytes(ts)
        path = os.path.join(a.outdir, fn)
        if os.path.isfile(path) and os.path.getsize(path) == len(hb) + data:
            done += data  # a shard that an interrupted run finished
            print(f"  {fn}: present", flush=True)
        else:
            with open(path + ".tmp", "wb") as f:
                f.write(hb)
                for name, shape, kind, idx in order:
                    write_tensor(f, shape, kind, np.random.default_rng([a.seed, idx]))
                    before, done = done, done + nbytes(shape)
                    if done // 10**9 != before // 10**9 or name == order[-1][0]:
                        el = time.time() - t0
                        print(f"  {fn}: {name} {list(shape)}  {done / 1e9:.2f}/{total / 1e9:.2f} GB "
                              f"({el:.0f} s)", flush=True)
            os.replace(path + ".tmp", path)
        for name, _, _, _ in ts:
            weight_map[name] = fn
    if len(files) > 1:
        idx = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
        with open(os.path.join(a.outdir, "model.safetensors.index.json"), "w") as f:
            json.dump(idx, f, indent=2)
            f.write("\n")
    gen = {"_from_model_config": True, "bos_token_id": cfg["bos_token_id"],
           "eos_token_id": cfg["eos_token_id"], "transformers_version": cfg["transformers_version"]}
    with open(os.path.join(a.outdir, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
        f.write("\n")
    with open(os.path.join(a.outdir, "config.json.tmp"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    os.replace(os.path.join(a.outdir, "config.json.tmp"), os.path.join(a.outdir, "config.json"))
    print(f"make-real-size-checkpoint: wrote {a.outdir} in {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
