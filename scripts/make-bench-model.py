#!/usr/bin/env python3
"""make-bench-model.py: a random-weight llama or mixtral checkpoint of a chosen shape, for benchmarks.

usage: make-bench-model.py OUTDIR [--layers N] [--hidden H] [--heads Q] [--kv-heads K]
                           [--intermediate F] [--vocab V] [--experts E --top-k T] [--dtype f32|bf16]

Writes OUTDIR/config.json (model_type llama, or mixtral with --experts) and model.safetensors with
Hugging Face's tensor names. Weights: matrices normal * 0.02, RMSNorm weights 1 + normal * 0.02.
Presets used by scripts/bench-fusion.sh: a GQA-heavy llama (--heads 16 --kv-heads 1) and a small
Mixtral shape (--experts 8 --top-k 2). Only numpy is needed. Does nothing if OUTDIR already holds
a checkpoint of the same config.
"""
import argparse
import json
import os
import struct

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--hidden", type=int, default=768)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=2048)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--experts", type=int, default=0)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--dtype", choices=["f32", "bf16"], default="f32")
    a = ap.parse_args()
    cfg = {
        "architectures": ["MixtralForCausalLM" if a.experts else "LlamaForCausalLM"],
        "model_type": "mixtral" if a.experts else "llama",
        "vocab_size": a.vocab, "hidden_size": a.hidden, "intermediate_size": a.intermediate,
        "num_hidden_layers": a.layers, "num_attention_heads": a.heads,
        "num_key_value_heads": a.kv_heads, "hidden_act": "silu", "rms_norm_eps": 1e-5,
        "rope_theta": 500000.0, "max_position_embeddings": 8192, "tie_word_embeddings": False,
        "torch_dtype": "float32" if a.dtype == "f32" else "bfloat16",
    }
    if a.experts:
        cfg.update(num_local_experts=a.experts, num_experts_per_tok=a.top_k, sliding_window=None)
    os.makedirs(a.out, exist_ok=True)
    cfg_path = os.path.join(a.out, "config.json")
    text = json.dumps(cfg, indent=2) + "\n"
    if os.path.exists(cfg_path) and open(cfg_path).read() == text and \
            os.path.exists(os.path.join(a.out, "model.safetensors")):
        return
    rng = np.random.default_rng(0)
    h, f, hd = a.hidden, a.intermediate, a.hidden // a.heads
    mat = lambda *s: (rng.standard_normal(s, dtype=np.float32) * 0.02)
    norm = lambda: 1 + mat(h)
    t = {"model.embed_tokens.weight": mat(a.vocab, h), "model.norm.weight": norm(),
         "lm_head.weight": mat(a.vocab, h)}
    for i in range(a.layers):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = norm()
        t[p + "post_attention_layernorm.weight"] = norm()
        t[p + "self_attn.q_proj.weight"] = mat(a.heads * hd, h)
        t[p + "self_attn.k_proj.weight"] = mat(a.kv_heads * hd, h)
        t[p + "self_attn.v_proj.weight"] = mat(a.kv_heads * hd, h)
        t[p + "self_attn.o_proj.weight"] = mat(h, a.heads * hd)
        if a.experts:
            m = p + "block_sparse_moe."
            t[m + "gate.weight"] = mat(a.experts, h)
            for e in range(a.experts):
                t[m + f"experts.{e}.w1.weight"] = mat(f, h)
                t[m + f"experts.{e}.w3.weight"] = mat(f, h)
                t[m + f"experts.{e}.w2.weight"] = mat(h, f)
        else:
            t[p + "mlp.gate_proj.weight"] = mat(f, h)
            t[p + "mlp.up_proj.weight"] = mat(f, h)
            t[p + "mlp.down_proj.weight"] = mat(h, f)
    header, blobs, offset = {}, [], 0
    for name, x in t.items():
        if a.dtype == "bf16":
            bits = x.view(np.uint32)
            data = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2").tobytes()
        else:
            data = x.astype("<f4").tobytes()
        header[name] = {"dtype": "F32" if a.dtype == "f32" else "BF16",
                        "shape": list(x.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hjson = json.dumps(header, separators=(",", ":")).encode()
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(os.path.join(a.out, "model.safetensors.tmp"), "wb") as out:
        out.write(struct.pack("<Q", len(hjson)))
        out.write(hjson)
        for b in blobs:
            out.write(b)
    os.replace(os.path.join(a.out, "model.safetensors.tmp"), os.path.join(a.out, "model.safetensors"))
    with open(cfg_path, "w") as out:
        out.write(text)


if __name__ == "__main__":
    main()
