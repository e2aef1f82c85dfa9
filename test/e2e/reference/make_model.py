#!/usr/bin/python3
"""Write a tiny random Hugging Face style checkpoint plus float64-reference logits.

  /usr/bin/python3 make_model.py --family NAME --out DIR [--seed 0] [--dtype f32|f16|bf16]
                                 [--shards 1|2] [--prompt-len N] [--variant V]
                                 [--base-model-names] [--include-tied-head] [--reference-q8-0]
  /usr/bin/python3 make_model.py --family card --card CARD.json --out DIR [--seed 0] [--dtype ...]
                                 [--shards 1|2] [--prompt-len N] [--base-model-names] [--include-tied-head]
  /usr/bin/python3 make_model.py --list            # supported families, one per line
  /usr/bin/python3 make_model.py --list-variants   # FAMILY VARIANT lines
  /usr/bin/python3 make_model.py --selftest        # internal consistency checks (a few seconds)

DIR receives config.json, model.safetensors (or model-0000X-of-00002.safetensors +
model.safetensors.index.json), tokens.txt (comma-separated ids) and logits.f32
(float32 row-major [n, vocab], computed in float64 by hf_models.forward from the
weights re-read from DIR, i.e. after rounding to the stored dtype). config.json's
`torch_dtype` (a card's `weight_dtype`) names the stored dtype.

Checkpoint name forms (Hugging Face stores a model both ways):
  default               names as *ForCausalLM.save_pretrained writes them
                        (`transformer.h.0.attn.c_attn.weight`, `model.layers.0...`)
  --base-model-names    as a save of the base model: the family's base_model_prefix
                        (hf_models.BASE_MODEL_PREFIX; a card's `base_model_prefix`) stripped
                        from every name, the LM head (untied models only) kept as written:
                        `wte.weight`, `h.0.attn.c_attn.weight` (openai-community/gpt2),
                        `word_embeddings.weight`, `h.0.input_layernorm.weight` (bigscience/bloom)
  --include-tied-head   a tied model's checkpoint also holds the untied head (`lm_head.weight`,
                        `embed_out.weight` for gpt_neox, `head.weight` for a card), as
                        tiiuae/falcon-7b's does; HF ties over it, so the logits do not use it.
                        It holds random values unlike the embedding, so a model that read it
                        would fail the comparison.

--reference-q8-0: the logits are those of the checkpoint with its matrices (q/k/v/o,
gate/up/down, lm_head, embed_tokens) rounded to GGUF's Q8_0 blocks (q8_0_roundtrip),
and each product x @ W.t() of such a matrix with x rounded to Q8_0 blocks too
(q8_0_activations, llama.cpp's rule for the activations of its Q8_0 dot products): what
`tfc-compile --quantize=q8_0` computes; the checkpoint itself is unchanged.

With --card (family `card`; `--family` may then be left out), config.json is a copy of the
tfc model card (docs/model-card.md) with its sizes as given, the weights follow the card's
naming scheme and the logits come from card_model.forward.
"""

import argparse
import copy
import json
import math
import os
import re
import shutil
import sys
import tempfile

import torch

sys.dont_write_bytecode = True  # keep the source directory clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_models  # noqa: E402
import card_model  # noqa: E402

DTYPES = {"f32": (torch.float32, "float32"), "f16": (torch.float16, "float16"), "bf16": (torch.bfloat16, "bfloat16")}
V = 256  # vocab for most families


# --------------------------------------------------------------------------
# configs (field sets modelled on the published checkpoints' config.json)
# --------------------------------------------------------------------------
def _base_llama_like(arch, mtype, **kw):
    c = {
        "architectures": [arch],
        "model_type": mtype,
        "vocab_size": V,
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "hidden_act": "silu",
        "max_position_embeddings": 512,
        "initializer_range": 0.02,
        "rms_norm_eps": 1e-5,
        "use_cache": True,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "tie_word_embeddings": False,
        "rope_theta": 10000.0,
        "attention_dropout": 0.0,
    }
    c.update(kw)
    return c


def config_for(family, variant):
    f, v = family, variant
    if f == "llama":
        c = _base_llama_like("LlamaForCausalLM", "llama", attention_bias=False, mlp_bias=False,
                             pretraining_tp=1, rope_scaling=None)
        if v == "tied":
            c["tie_word_embeddings"] = True
        elif v == "llama3":
            c.update(rope_theta=500000.0, head_dim=16,
                     rope_scaling={"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                   "original_max_position_embeddings": 64, "rope_type": "llama3"})
        elif v == "linear":
            c["rope_scaling"] = {"type": "linear", "factor": 4.0}
        elif v == "bias":
            c.update(attention_bias=True, mlp_bias=True)
        return c
    if f == "mistral":
        return _base_llama_like("MistralForCausalLM", "mistral", sliding_window=8)
    if f == "qwen2":
        c = _base_llama_like("Qwen2ForCausalLM", "qwen2", num_hidden_layers=3, rms_norm_eps=1e-6,
                             rope_theta=1000000.0, use_sliding_window=True, sliding_window=8,
                             max_window_layers=1, tie_word_embeddings=True, bos_token_id=0, eos_token_id=1)
        if v == "nosw":
            c.update(use_sliding_window=False, sliding_window=32768, max_window_layers=3)
        return c
    if f == "qwen3":
        return _base_llama_like("Qwen3ForCausalLM", "qwen3", head_dim=32, rms_norm_eps=1e-6,
                                rope_theta=1000000.0, attention_bias=False, use_sliding_window=False,
                                sliding_window=None, max_window_layers=2, tie_word_embeddings=True,
                                rope_scaling=None, bos_token_id=0, eos_token_id=1)
    if f == "gemma":
        c = _base_llama_like("GemmaForCausalLM", "gemma", num_key_value_heads=1, head_dim=32,
                             hidden_act="gelu_pytorch_tanh", hidden_activation="gelu_pytorch_tanh",
                             rms_norm_eps=1e-6, attention_bias=False, pad_token_id=0, bos_token_id=2,
                             eos_token_id=1, rope_scaling=None)
        del c["tie_word_embeddings"]  # gemma default: tied
        return c
    if f == "gemma2":
        c = _base_llama_like("Gemma2ForCausalLM", "gemma2", num_hidden_layers=4, head_dim=16,
                             hidden_act="gelu_pytorch_tanh", hidden_activation="gelu_pytorch_tanh",
                             rms_norm_eps=1e-6, attention_bias=False, pad_token_id=0, bos_token_id=2,
                             eos_token_id=1, query_pre_attn_scalar=24, sliding_window=8,
                             attn_logit_softcapping=20.0, final_logit_softcapping=10.0,
                             cache_implementation="hybrid")
        del c["tie_word_embeddings"]
        return c
    if f == "mixtral":
        return _base_llama_like("MixtralForCausalLM", "mixtral", intermediate_size=96, rope_theta=1000000.0,
                                num_local_experts=4, num_experts_per_tok=2, sliding_window=12,
                                router_aux_loss_coef=0.02, output_router_logits=False)
    if f == "olmo2":
        return _base_llama_like("Olmo2ForCausalLM", "olmo2", rms_norm_eps=1e-6, rope_theta=500000.0,
                                attention_bias=False, rope_scaling=None, pad_token_id=1, bos_token_id=None,
                                eos_token_id=2)
    if f == "starcoder2":
        c = _base_llama_like("Starcoder2ForCausalLM", "starcoder2", intermediate_size=256,
                             hidden_act="gelu_pytorch_tanh", norm_epsilon=1e-5, use_bias=True,
                             sliding_window=8, rope_theta=100000.0, residual_dropout=0.0,
                             embedding_dropout=0.0, bos_token_id=0, eos_token_id=0)
        del c["rms_norm_eps"], c["tie_word_embeddings"]  # starcoder2 default: tied
        return c
    if f == "deepseek_v2":
        c = _base_llama_like("DeepseekV2ForCausalLM", "deepseek_v2", num_hidden_layers=3,
                             num_key_value_heads=4, rms_norm_eps=1e-6, first_k_dense_replace=1,
                             moe_layer_freq=1, n_routed_experts=4, num_experts_per_tok=2, n_shared_experts=1,
                             moe_intermediate_size=32, norm_topk_prob=False, routed_scaling_factor=2.0,
                             topk_method="greedy", n_group=1, topk_group=1, scoring_func="softmax",
                             q_lora_rank=32, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8,
                             v_head_dim=12, aux_loss_alpha=0.001, seq_aux=True, pretraining_tp=1,
                             attention_bias=False, bos_token_id=0, eos_token_id=1)
        if v == "q_proj":
            c["q_lora_rank"] = None
        return c
    if f == "gpt2":
        # positions16: a 16-row position table, shorter than the default 24-token prompt, to test
        # that the runtime refuses positions past it.
        npos = 16 if v == "positions16" else 128
        return {
            "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": V,
            "n_embd": 64, "n_layer": 2, "n_head": 4, "n_positions": npos, "n_ctx": npos, "n_inner": None,
            "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "initializer_range": 0.02,
            "resid_pdrop": 0.1, "embd_pdrop": 0.1, "attn_pdrop": 0.1, "scale_attn_weights": True,
            "summary_type": "cls_index", "summary_use_proj": True, "summary_activation": None,
            "summary_proj_to_labels": True, "summary_first_dropout": 0.1,
            "bos_token_id": 0, "eos_token_id": 0, "use_cache": True,
        }
    if f == "gpt_neox":
        return {
            "architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "vocab_size": V,
            "hidden_size": 64, "intermediate_size": 256, "num_hidden_layers": 2, "num_attention_heads": 4,
            "rotary_pct": 0.25, "rotary_emb_base": 10000, "hidden_act": "gelu", "layer_norm_eps": 1e-5,
            "use_parallel_residual": v != "sequential", "tie_word_embeddings": False,
            "max_position_embeddings": 128, "initializer_range": 0.02, "attention_dropout": 0.0,
            "hidden_dropout": 0.0, "classifier_dropout": 0.1, "bos_token_id": 0, "eos_token_id": 0,
            "use_cache": True,
        }
    if f == "phi":
        return {
            "architectures": ["PhiForCausalLM"], "model_type": "phi", "vocab_size": V, "hidden_size": 64,
            "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
            "num_key_value_heads": 2, "partial_rotary_factor": 0.4, "hidden_act": "gelu_new",
            "layer_norm_eps": 1e-5, "max_position_embeddings": 512, "rope_theta": 10000.0,
            "rope_scaling": None, "qk_layernorm": v == "qk_ln", "tie_word_embeddings": False,
            "resid_pdrop": 0.1, "embd_pdrop": 0.0, "attention_dropout": 0.0, "initializer_range": 0.02,
            "bos_token_id": 0, "eos_token_id": 0, "use_cache": True,
        }
    if f == "falcon":
        c = {
            "architectures": ["FalconForCausalLM"], "model_type": "falcon", "vocab_size": V,
            "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2, "layer_norm_epsilon": 1e-5,
            "alibi": False, "bias": False, "parallel_attn": True, "multi_query": True,
            "new_decoder_architecture": True, "num_kv_heads": 2, "max_position_embeddings": 128,
            "rope_theta": 10000.0, "initializer_range": 0.02, "attention_dropout": 0.0,
            "hidden_dropout": 0.0, "bos_token_id": 11, "eos_token_id": 11, "use_cache": True,
        }
        if v == "7b":  # falcon-7b style: old layout, multi-query (1 kv head), parallel attn, shared LN
            c.update(new_decoder_architecture=False, multi_query=True, parallel_attn=True)
            del c["num_kv_heads"]
        elif v == "rw":  # falcon-rw style (without alibi): per-head fused qkv, sequential, biases
            c.update(new_decoder_architecture=False, multi_query=False, parallel_attn=False, bias=True)
            del c["num_kv_heads"]
        elif v == "one_ln":  # new architecture with num_ln_in_parallel_attn = 1 (Falcon2-11B style)
            c.update(num_ln_in_parallel_attn=1, ffn_hidden_size=192)
        return c
    if f == "bloom":
        return {
            "architectures": ["BloomForCausalLM"], "model_type": "bloom", "vocab_size": V,
            "hidden_size": 96, "n_head": 6, "n_layer": 2, "layer_norm_epsilon": 1e-5,
            "apply_residual_connection_post_layernorm": v == "residual-post-ln", "attention_dropout": 0.0,
            "hidden_dropout": 0.0, "attention_softmax_in_fp32": True, "bias_dropout_fusion": True,
            "masked_softmax_fusion": True, "offset_alibi": 100, "pretraining_tp": 1,
            "slow_but_exact": False, "skip_bias_add": True, "skip_bias_add_qkv": False,
            "initializer_range": 0.02, "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 3,
            "unk_token_id": 0, "use_cache": True,
        }
    if f == "mpt":
        return {
            "architectures": ["MptForCausalLM"], "model_type": "mpt", "vocab_size": V,
            "d_model": 96, "n_heads": 6, "n_layers": 2, "expansion_ratio": 4, "max_seq_len": 128,
            "no_bias": True, "layer_norm_epsilon": 1e-5, "learned_pos_emb": True, "logit_scale": None,
            "norm_type": "low_precision_layernorm", "resid_pdrop": 0.0, "emb_pdrop": 0.0,
            "embedding_fraction": 1.0, "init_device": "cpu", "verbose": 0, "use_cache": False,
            "initializer_range": 0.02,
            "attn_config": {
                "alibi": True, "alibi_bias_max": 8, "attn_impl": "torch", "attn_pdrop": 0.0,
                "attn_type": "multihead_attention", "attn_uses_sequence_id": False,
                "clip_qkv": None if v == "noclip" else 1.5, "prefix_lm": False, "qk_ln": False,
                "softmax_scale": 0.2 if v == "noclip" else None,
            },
        }
    if f == "stablelm":
        # Field set of stabilityai/stablelm-2-1_6b's config.json (use_qkv_bias, serial); the other
        # published ones: stablelm-3b-4e1t (no qkv bias), stablelm-2-12b (parallel, qk_layernorm).
        # head_dim 16 -> 4 rotary dims at the default partial_rotary_factor 0.25.
        c = {
            "architectures": ["StableLmForCausalLM"], "model_type": "stablelm", "vocab_size": V,
            "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
            "num_key_value_heads": 2, "hidden_act": "silu", "max_position_embeddings": 512,
            "initializer_range": 0.02, "layer_norm_eps": 1e-5, "use_cache": True,
            "tie_word_embeddings": False, "rope_theta": 10000, "rope_scaling": None,
            "use_qkv_bias": True, "qk_layernorm": False, "use_parallel_residual": False,
            "hidden_dropout": 0.0, "attention_dropout": 0.0, "partial_rotary_factor": 0.25,
            "bos_token_id": 0, "eos_token_id": 0,
        }
        if v == "parallel":
            c["use_parallel_residual"] = True
        elif v == "no-qkv-bias":    # stablelm-3b-4e1t style
            c["use_qkv_bias"] = False
        elif v == "half-rotary":    # 8 of 16 dims rotated
            c["partial_rotary_factor"] = 0.5
        elif v == "tied":
            c["tie_word_embeddings"] = True
        elif v == "qk-ln":          # per-head LayerNorms on q and k (stablelm-2-12b); tfc refuses it
            c["qk_layernorm"] = True
        return c
    raise ValueError(f"unknown family {family!r}")


VARIANTS = {
    "llama": ["default", "tied", "llama3", "linear", "bias"],
    "mistral": ["default"], "qwen2": ["default", "nosw"], "qwen3": ["default"], "gemma": ["default"],
    "gemma2": ["default"], "mixtral": ["default"], "gpt2": ["default", "noprefix", "positions16"],
    "gpt_neox": ["default", "sequential"], "phi": ["default", "qk_ln"],
    "falcon": ["default", "7b", "rw", "one_ln"], "bloom": ["default", "residual-post-ln", "noprefix"],
    "mpt": ["default", "noclip"], "olmo2": ["default"], "starcoder2": ["default"],
    "deepseek_v2": ["default", "q_proj"],
    "stablelm": ["default", "parallel", "no-qkv-bias", "half-rotary", "tied", "qk-ln"],
}
# Earlier spellings of a variant, still accepted by --variant (not listed).
VARIANT_ALIASES = {("bloom", "post_ln_res"): "residual-post-ln"}


# --------------------------------------------------------------------------
# weight layouts: list of (name, shape, kind)
#   kind: w (std 1/sqrt(fan_in)), w3 (3/sqrt(fan_in): first MLP projection, so that the
#         activation's tails matter, e.g. exact vs tanh GELU), wT / wT3 (Conv1D [in,out]), emb, head, pos, norm (1+0.1N),
#         gnorm (0.1N, gemma's 1+w), bias (0.05N)
# --------------------------------------------------------------------------
def _tied(c, default):
    t = c.get("tie_word_embeddings", default)
    return default if t is None else t


def weight_spec(c, variant):
    f = c["model_type"]
    S = []

    def add(name, shape, kind):
        S.append((name, tuple(shape), kind))

    if f in ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "mixtral", "olmo2", "starcoder2"):
        D, H, Hk, L, I = (c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"],
                          c["num_hidden_layers"], c["intermediate_size"])
        hd = c.get("head_dim") or D // H
        nk = "gnorm" if f in ("gemma", "gemma2") else "norm"
        ln = f == "starcoder2"
        qkb = {"llama": c.get("attention_bias", False), "qwen2": True, "starcoder2": True}.get(f, False)
        ob = {"llama": c.get("attention_bias", False), "starcoder2": True}.get(f, False)
        mb = c.get("mlp_bias", False) if f == "llama" else False

        def norm(name, size):
            add(name + ".weight", [size], nk)
            if ln:
                add(name + ".bias", [size], "bias")

        add("model.embed_tokens.weight", [V, D], "emb")
        for i in range(L):
            p = f"model.layers.{i}."
            if f != "olmo2":
                norm(p + "input_layernorm", D)
            for nm, out in (("q_proj", H * hd), ("k_proj", Hk * hd), ("v_proj", Hk * hd)):
                add(p + f"self_attn.{nm}.weight", [out, D], "w")
                if qkb:
                    add(p + f"self_attn.{nm}.bias", [out], "bias")
            add(p + "self_attn.o_proj.weight", [D, H * hd], "w")
            if ob:
                add(p + "self_attn.o_proj.bias", [D], "bias")
            if f == "qwen3":
                add(p + "self_attn.q_norm.weight", [hd], "norm")
                add(p + "self_attn.k_norm.weight", [hd], "norm")
            if f == "olmo2":
                add(p + "self_attn.q_norm.weight", [H * hd], "norm")
                add(p + "self_attn.k_norm.weight", [Hk * hd], "norm")
            norm(p + "post_attention_layernorm", D)
            if f == "gemma2":
                norm(p + "pre_feedforward_layernorm", D)
            if f in ("gemma2", "olmo2"):
                norm(p + "post_feedforward_layernorm", D)
            if f == "mixtral":
                E = c["num_local_experts"]
                add(p + "block_sparse_moe.gate.weight", [E, D], "w")
                for e in range(E):
                    ep = p + f"block_sparse_moe.experts.{e}."
                    add(ep + "w1.weight", [I, D], "w3")
                    add(ep + "w2.weight", [D, I], "w")
                    add(ep + "w3.weight", [I, D], "w")
            elif f == "starcoder2":
                add(p + "mlp.c_fc.weight", [I, D], "w3")
                add(p + "mlp.c_fc.bias", [I], "bias")
                add(p + "mlp.c_proj.weight", [D, I], "w")
                add(p + "mlp.c_proj.bias", [D], "bias")
            else:
                for nm, shp in (("gate_proj", [I, D]), ("up_proj", [I, D]), ("down_proj", [D, I])):
                    add(p + f"mlp.{nm}.weight", shp, "w3" if nm == "gate_proj" else "w")
                    if mb:
                        add(p + f"mlp.{nm}.bias", [shp[0]], "bias")
        norm("model.norm", D)
        if not _tied(c, hf_models._TIE_DEFAULT[f]):
            add("lm_head.weight", [V, D], "head")
        return S

    if f == "deepseek_v2":
        D, H, L, I = c["hidden_size"], c["num_attention_heads"], c["num_hidden_layers"], c["intermediate_size"]
        nope, rope, vd = c["qk_nope_head_dim"], c["qk_rope_head_dim"], c["v_head_dim"]
        qr, kvr = c["q_lora_rank"], c["kv_lora_rank"]
        E, mI, ns = c["n_routed_experts"], c["moe_intermediate_size"], c["n_shared_experts"]
        add("model.embed_tokens.weight", [V, D], "emb")
        for i in range(L):
            p = f"model.layers.{i}."
            a = p + "self_attn."
            add(p + "input_layernorm.weight", [D], "norm")
            if qr is None:
                add(a + "q_proj.weight", [H * (nope + rope), D], "w")
            else:
                add(a + "q_a_proj.weight", [qr, D], "w")
                add(a + "q_a_layernorm.weight", [qr], "norm")
                add(a + "q_b_proj.weight", [H * (nope + rope), qr], "w")
            add(a + "kv_a_proj_with_mqa.weight", [kvr + rope, D], "w")
            add(a + "kv_a_layernorm.weight", [kvr], "norm")
            add(a + "kv_b_proj.weight", [H * (nope + vd), kvr], "w")
            add(a + "o_proj.weight", [D, H * vd], "w")
            add(p + "post_attention_layernorm.weight", [D], "norm")

            def glu(pp, inter):
                add(pp + "gate_proj.weight", [inter, D], "w3")
                add(pp + "up_proj.weight", [inter, D], "w")
                add(pp + "down_proj.weight", [D, inter], "w")
            if i >= c["first_k_dense_replace"]:
                add(p + "mlp.gate.weight", [E, D], "w")
                for e in range(E):
                    glu(p + f"mlp.experts.{e}.", mI)
                glu(p + "mlp.shared_experts.", mI * ns)
            else:
                glu(p + "mlp.", I)
        add("model.norm.weight", [D], "norm")
        add("lm_head.weight", [V, D], "head")
        return S

    if f == "gpt2":
        D, L = c["n_embd"], c["n_layer"]
        I = c.get("n_inner") or 4 * D
        pre = "" if variant == "noprefix" else "transformer."
        add(pre + "wte.weight", [V, D], "emb")
        add(pre + "wpe.weight", [c["n_positions"], D], "pos")
        for i in range(L):
            p = pre + f"h.{i}."
            for ln in ("ln_1", "ln_2"):
                add(p + ln + ".weight", [D], "norm")
                add(p + ln + ".bias", [D], "bias")
            add(p + "attn.c_attn.weight", [D, 3 * D], "wT")
            add(p + "attn.c_attn.bias", [3 * D], "bias")
            add(p + "attn.c_proj.weight", [D, D], "wT")
            add(p + "attn.c_proj.bias", [D], "bias")
            add(p + "mlp.c_fc.weight", [D, I], "wT3")
            add(p + "mlp.c_fc.bias", [I], "bias")
            add(p + "mlp.c_proj.weight", [I, D], "wT")
            add(p + "mlp.c_proj.bias", [D], "bias")
        add(pre + "ln_f.weight", [D], "norm")
        add(pre + "ln_f.bias", [D], "bias")
        return S

    if f == "gpt_neox":
        D, L, I = c["hidden_size"], c["num_hidden_layers"], c["intermediate_size"]
        add("gpt_neox.embed_in.weight", [V, D], "emb")
        for i in range(L):
            p = f"gpt_neox.layers.{i}."
            for ln in ("input_layernorm", "post_attention_layernorm"):
                add(p + ln + ".weight", [D], "norm")
                add(p + ln + ".bias", [D], "bias")
            add(p + "attention.query_key_value.weight", [3 * D, D], "w")
            add(p + "attention.query_key_value.bias", [3 * D], "bias")
            add(p + "attention.dense.weight", [D, D], "w")
            add(p + "attention.dense.bias", [D], "bias")
            add(p + "mlp.dense_h_to_4h.weight", [I, D], "w3")
            add(p + "mlp.dense_h_to_4h.bias", [I], "bias")
            add(p + "mlp.dense_4h_to_h.weight", [D, I], "w")
            add(p + "mlp.dense_4h_to_h.bias", [D], "bias")
        add("gpt_neox.final_layer_norm.weight", [D], "norm")
        add("gpt_neox.final_layer_norm.bias", [D], "bias")
        add("embed_out.weight", [V, D], "head")
        return S

    if f == "phi":
        D, H, L, I = c["hidden_size"], c["num_attention_heads"], c["num_hidden_layers"], c["intermediate_size"]
        Hk = c.get("num_key_value_heads") or H
        hd = D // H
        add("model.embed_tokens.weight", [V, D], "emb")
        for i in range(L):
            p = f"model.layers.{i}."
            add(p + "input_layernorm.weight", [D], "norm")
            add(p + "input_layernorm.bias", [D], "bias")
            for nm, out in (("q_proj", H * hd), ("k_proj", Hk * hd), ("v_proj", Hk * hd)):
                add(p + f"self_attn.{nm}.weight", [out, D], "w")
                add(p + f"self_attn.{nm}.bias", [out], "bias")
            add(p + "self_attn.dense.weight", [D, H * hd], "w")
            add(p + "self_attn.dense.bias", [D], "bias")
            if c.get("qk_layernorm"):
                for nm in ("q_layernorm", "k_layernorm"):
                    add(p + f"self_attn.{nm}.weight", [hd], "norm")
                    add(p + f"self_attn.{nm}.bias", [hd], "bias")
            add(p + "mlp.fc1.weight", [I, D], "w3")
            add(p + "mlp.fc1.bias", [I], "bias")
            add(p + "mlp.fc2.weight", [D, I], "w")
            add(p + "mlp.fc2.bias", [D], "bias")
        add("model.final_layernorm.weight", [D], "norm")
        add("model.final_layernorm.bias", [D], "bias")
        add("lm_head.weight", [V, D], "head")
        add("lm_head.bias", [V], "bias")
        return S

    if f == "falcon":
        D, H, L = c["hidden_size"], c["num_attention_heads"], c["num_hidden_layers"]
        hd = D // H
        new, mq, par, b = c["new_decoder_architecture"], c["multi_query"], c["parallel_attn"], c["bias"]
        Hkv = c.get("num_kv_heads") or H
        F = c.get("ffn_hidden_size") or 4 * D
        num_ln = c.get("num_ln_in_parallel_attn") or (2 if new else None)
        qkv = (2 * Hkv + H) * hd if new else (D + 2 * hd if mq else 3 * D)

        def lnorm(name):
            add(name + ".weight", [D], "norm")
            add(name + ".bias", [D], "bias")

        def linear(name, o, i_, kind="w"):
            add(name + ".weight", [o, i_], kind)
            if b:
                add(name + ".bias", [o], "bias")
        add("transformer.word_embeddings.weight", [V, D], "emb")
        for i in range(L):
            p = f"transformer.h.{i}."
            if new and num_ln == 2:
                lnorm(p + "ln_attn")
                lnorm(p + "ln_mlp")
            else:
                lnorm(p + "input_layernorm")
                if not par:
                    lnorm(p + "post_attention_layernorm")
            linear(p + "self_attention.query_key_value", qkv, D)
            linear(p + "self_attention.dense", D, D)
            linear(p + "mlp.dense_h_to_4h", F, D, "w3")
            linear(p + "mlp.dense_4h_to_h", D, F)
        lnorm("transformer.ln_f")
        if not _tied(c, True):
            add("lm_head.weight", [V, D], "head")
        return S

    if f == "bloom":
        D, L = c["hidden_size"], c["n_layer"]
        pre = "" if variant == "noprefix" else "transformer."

        def lnorm(name):
            add(name + ".weight", [D], "norm")
            add(name + ".bias", [D], "bias")
        add(pre + "word_embeddings.weight", [V, D], "emb")
        lnorm(pre + "word_embeddings_layernorm")
        for i in range(L):
            p = pre + f"h.{i}."
            lnorm(p + "input_layernorm")
            add(p + "self_attention.query_key_value.weight", [3 * D, D], "w")
            add(p + "self_attention.query_key_value.bias", [3 * D], "bias")
            add(p + "self_attention.dense.weight", [D, D], "w")
            add(p + "self_attention.dense.bias", [D], "bias")
            lnorm(p + "post_attention_layernorm")
            add(p + "mlp.dense_h_to_4h.weight", [4 * D, D], "w3")
            add(p + "mlp.dense_h_to_4h.bias", [4 * D], "bias")
            add(p + "mlp.dense_4h_to_h.weight", [D, 4 * D], "w")
            add(p + "mlp.dense_4h_to_h.bias", [D], "bias")
        lnorm(pre + "ln_f")
        return S

    if f == "stablelm":
        D, H, L, I = c["hidden_size"], c["num_attention_heads"], c["num_hidden_layers"], c["intermediate_size"]
        Hk = c["num_key_value_heads"]
        hd = D // H
        qkb, par, qkln = c["use_qkv_bias"], c["use_parallel_residual"], c["qk_layernorm"]

        def lnorm(name):
            add(name + ".weight", [D], "norm")
            add(name + ".bias", [D], "bias")
        add("model.embed_tokens.weight", [V, D], "emb")
        for i in range(L):
            p = f"model.layers.{i}."
            a = p + "self_attn."
            lnorm(p + "input_layernorm")
            for nm, out in (("q_proj", H * hd), ("k_proj", Hk * hd), ("v_proj", Hk * hd)):
                add(a + f"{nm}.weight", [out, D], "w")
                if qkb:
                    add(a + f"{nm}.bias", [out], "bias")
            add(a + "o_proj.weight", [D, H * hd], "w")
            if qkln:   # StableLmLayerNormPerHead: norms.{h}, LayerNorm(head_dim) without bias
                for nm, heads in (("q_layernorm", H), ("k_layernorm", Hk)):
                    for j in range(heads):
                        add(a + f"{nm}.norms.{j}.weight", [hd], "norm")
            if not par:
                lnorm(p + "post_attention_layernorm")
            for nm, shp in (("gate_proj", [I, D]), ("up_proj", [I, D]), ("down_proj", [D, I])):
                add(p + f"mlp.{nm}.weight", shp, "w3" if nm == "gate_proj" else "w")
        lnorm("model.norm")
        if not _tied(c, False):
            add("lm_head.weight", [V, D], "head")
        return S

    if f == "mpt":
        D, L = c["d_model"], c["n_layers"]
        add("transformer.wte.weight", [V, D], "emb")
        for i in range(L):
            p = f"transformer.blocks.{i}."
            add(p + "norm_1.weight", [D], "norm")
            add(p + "attn.Wqkv.weight", [3 * D, D], "w")
            add(p + "attn.out_proj.weight", [D, D], "w")
            add(p + "norm_2.weight", [D], "norm")
            add(p + "ffn.up_proj.weight", [4 * D, D], "w3")
            add(p + "ffn.down_proj.weight", [D, 4 * D], "w")
        add("transformer.norm_f.weight", [D], "norm")
        return S
    raise ValueError(f)


def make_weights(spec, seed, tdtype):
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape, kind in spec:
        r = torch.randn(shape, generator=g, dtype=torch.float32)
        if kind == "w":
            t = r / math.sqrt(shape[1])
        elif kind == "w3":
            t = r * (3.0 / math.sqrt(shape[1]))
        elif kind == "wT":
            t = r / math.sqrt(shape[0])
        elif kind == "wT3":
            t = r * (3.0 / math.sqrt(shape[0]))
        elif kind in ("emb", "head"):
            t = r * 0.2
        elif kind == "pos":
            t = r * 0.1
        elif kind == "norm":
            t = 1.0 + 0.1 * r
        elif kind == "gnorm":
            t = 0.1 * r
        elif kind.startswith("norm:"):  # card norms: effective scale (w + weight_offset) = 1 + 0.1N
            t = (1.0 - float(kind[5:])) + 0.1 * r
        elif kind == "qknorm":
            t = 1.0 + 0.1 * r
        elif kind == "bias":
            t = 0.05 * r
        elif kind == "relbias":  # std 1, as large as the q.k scores, so every bucket matters
            t = r
        else:
            raise ValueError(kind)
        out[name] = t.to(tdtype).contiguous()
    return out


def checkpoint_form(weights, spec, prefix, head_name, tied, base_names, include_head, seed):
    """The tensors as a checkpoint of the chosen name form holds them (see the module doc)."""
    out = dict(weights)
    if include_head:
        if not tied:
            raise SystemExit("--include-tied-head needs a tied model (its head is in the checkpoint anyway)")
        emb = next(n for n, _, k in spec if k == "emb")
        g = torch.Generator().manual_seed(seed + 7777)
        head = torch.randn(tuple(weights[emb].shape), generator=g, dtype=torch.float32) * 0.2
        out[head_name] = head.to(weights[emb].dtype).contiguous()
    if base_names:
        if not prefix:
            raise SystemExit("--base-model-names: the model has no base_model_prefix")
        out = {(k[len(prefix):] if k.startswith(prefix) else k): v for k, v in out.items()}
    return out


def write_checkpoint(out_dir, config, weights, shards):
    os.makedirs(out_dir, exist_ok=True)
    for fn in os.listdir(out_dir):
        if fn.startswith("model") and (fn.endswith(".safetensors") or fn.endswith(".index.json")):
            os.remove(os.path.join(out_dir, fn))
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    meta = {"format": "pt"}
    if shards == 1:
        hf_models.save_safetensors(os.path.join(out_dir, "model.safetensors"), weights, meta)
        return
    names = list(weights)
    sizes = [weights[k].numel() * weights[k].element_size() for k in names]
    total = sum(sizes)
    parts = [[] for _ in range(shards)]
    acc = 0
    for k, s in zip(names, sizes):
        idx = min(shards - 1, int(acc * shards // total))
        parts[idx].append(k)
        acc += s
    wm = {}
    for si, part in enumerate(parts):
        fn = f"model-{si + 1:05d}-of-{shards:05d}.safetensors"
        hf_models.save_safetensors(os.path.join(out_dir, fn), {k: weights[k] for k in part}, meta)
        for k in part:
            wm[k] = fn
    with open(os.path.join(out_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(wm.items()))}, f, indent=2)
        f.write("\n")


# The matrices of the llama-like families that GGUF's Q8_0 files hold quantized: the
# projections ([out, in], nn.Linear), the head and the embedding table (so a head tied to
# it). What --reference-q8-0 rounds; not the norms nor the biases.
_Q8_0_NAMES = re.compile(r"(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj|lm_head|embed_tokens)\.weight$")


def q8_0_roundtrip(t):
    """GGUF's Q8_0 (ggml quantize_row_q8_0_ref) and back: each run of 32 values of a row,
    in float32, d = max|x| / 127, q = round half away from zero of x * (1 / d), the
    element q * float16(d)."""
    rows, cols = t.shape
    x = t.to(torch.float32).reshape(rows, cols // 32, 32)
    d = x.abs().amax(dim=-1, keepdim=True) / 127
    inv = torch.where(d != 0, 1 / d, torch.zeros_like(d))
    y = x * inv
    q = torch.sign(y) * torch.floor(y.abs() + 0.5)
    return (q * d.to(torch.float16).to(torch.float32)).reshape(rows, cols).to(torch.float64)


def q8_0_activations(x):
    """What llama.cpp's x86 code does to the activations of a Q8_0 dot product (the AVX
    path of quantize_row_q8_0): each run of 32 values along the last dimension, in float32,
    amax = max|x|, q = round half to even of x * (127 / amax) (0 where amax is 0), the
    element q * float16(amax / 127)."""
    shape = x.shape
    v = x.to(torch.float32).reshape(*shape[:-1], shape[-1] // 32, 32)
    amax = v.abs().amax(dim=-1, keepdim=True)
    inv = torch.where(amax != 0, 127 / amax, torch.zeros_like(amax))
    q = torch.round(v * inv)  # half to even
    d = (amax / 127).to(torch.float16).to(torch.float32)
    return (q * d).reshape(shape).to(x.dtype)


class _Q8_0Matrix:
    """A matrix rounded to Q8_0 whose products x @ W.t() (nn.Linear, the head) round x to
    Q8_0 first (q8_0_activations), as llama.cpp's Q8_0 dot products do; any other use
    (the embedding's row gather) reads the matrix as it is."""

    def __init__(self, w, transposed=False):
        self.w, self.transposed = w, transposed

    def plain(self):
        return self.w.t() if self.transposed else self.w

    def to(self, *args, **kwargs):
        return _Q8_0Matrix(self.w.to(*args, **kwargs), self.transposed)

    def t(self):
        return _Q8_0Matrix(self.w, not self.transposed)

    def __getitem__(self, index):
        return self.plain()[index]

    @property
    def shape(self):
        return self.plain().shape

    def __rmatmul__(self, x):
        if not self.transposed:
            raise TypeError("a Q8_0 matrix is multiplied as x @ W.t() only")
        return q8_0_activations(x) @ self.w.t()


def _finish(config, weights, out_dir, seed, prompt_len, vocab, windows, forward, quiet,
            q8_0=False):
    """tokens.txt, then logits.f32 from the checkpoint as written (round trip through our reader);
    with q8_0, from its projection matrices rounded to Q8_0 (q8_0_roundtrip), their inputs
    too (q8_0_activations) unless q8_0 is "weights"."""
    g = torch.Generator().manual_seed(seed + 1000003)
    toks = torch.randint(0, vocab, (prompt_len,), generator=g).tolist()
    with open(os.path.join(out_dir, "tokens.txt"), "w") as f:
        f.write(",".join(str(t) for t in toks) + "\n")
    if windows and prompt_len <= max(windows) and not quiet:
        print(f"warning: prompt-len {prompt_len} does not exceed sliding window {max(windows)}", file=sys.stderr)
    cfg2, w2 = hf_models.load_checkpoint(out_dir)
    if q8_0:
        rounded = (lambda t: q8_0_roundtrip(t)) if q8_0 == "weights" else \
            (lambda t: _Q8_0Matrix(q8_0_roundtrip(t)))
        w2 = {n: rounded(t) if _Q8_0_NAMES.search(n) and t.dim() == 2 and t.shape[1] % 32 == 0
              else t for n, t in w2.items()}
    logits = forward(cfg2, w2, toks)
    if logits.shape != (prompt_len, vocab):
        raise RuntimeError(f"bad logits shape {tuple(logits.shape)}")
    if not torch.isfinite(logits).all():
        raise RuntimeError("non-finite logits")
    for kind, layer, gap in hf_models.DIAG:
        if kind == "router_margin" and gap < 1e-3 and not quiet:
            print(f"warning: layer {layer} MoE top-k margin only {gap:.2e}; f32 routing may differ "
                  f"(try another --seed)", file=sys.stderr)
    logits.to(torch.float32).contiguous().numpy().astype("<f4").tofile(os.path.join(out_dir, "logits.f32"))
    return toks, logits


def make_card(card_path, out_dir, seed=0, dtype="f32", shards=1, prompt_len=24, quiet=False,
              base_names=False, include_head=False):
    """A random checkpoint for a tfc model card: config.json is a copy of the card."""
    with open(card_path) as f:
        card = json.load(f)
    if not card_model.is_card(card):
        raise SystemExit(f"{card_path}: not a tfc model card (\"format\": \"tfc-model-card\")")
    tdtype, _ = DTYPES[dtype]
    card["weight_dtype"] = dtype  # docs/model-card.md: the dtype the checkpoint stores
    spec = card_model.weight_spec(card)
    weights = make_weights(spec, seed, tdtype)
    weights = checkpoint_form(weights, spec, card.get("base_model_prefix") or "", "head.weight",
                              bool(card.get("tie_embeddings", False)), base_names, include_head, seed)
    write_checkpoint(out_dir, card, weights, shards)
    top = card_model.resolve(card)
    windows = [b["attention"]["window"] for b in top["layers"] if b["attention"]["window"]]
    toks, logits = _finish(card, weights, out_dir, seed, prompt_len, card["vocab_size"], windows,
                           card_model.forward, quiet)
    if not quiet:
        print(f"card {card.get('name', os.path.basename(card_path))} {dtype} shards={shards}: wrote {out_dir} "
              f"({len(weights)} tensors, logits [{prompt_len}, {card['vocab_size']}], "
              f"max|logit|={logits.abs().max().item():.3f})")
    return card, weights, toks, logits


def make(family, out_dir, seed=0, dtype="f32", shards=1, prompt_len=24, variant="default", quiet=False,
         base_names=False, include_head=False, q8_0=False):
    if family not in hf_models.FAMILIES:
        raise SystemExit(f"unknown family {family!r}; try --list")
    variant = VARIANT_ALIASES.get((family, variant), variant)
    if variant not in VARIANTS[family]:
        raise SystemExit(f"unknown variant {variant!r} for {family}; known: {VARIANTS[family]}")
    tdtype, tname = DTYPES[dtype]
    config = config_for(family, variant)
    config["torch_dtype"] = tname
    config["transformers_version"] = "4.46.0"
    spec = weight_spec(config, variant)
    weights = make_weights(spec, seed, tdtype)
    weights = checkpoint_form(weights, spec, hf_models.BASE_MODEL_PREFIX[family],
                              "embed_out.weight" if family == "gpt_neox" else "lm_head.weight",
                              _tied(config, hf_models._TIE_DEFAULT[family]), base_names, include_head, seed)
    write_checkpoint(out_dir, config, weights, shards)

    vocab = config["vocab_size"]
    windows = [config.get(k) for k in ("sliding_window",) if isinstance(config.get(k), int)]
    toks, logits = _finish(config, weights, out_dir, seed, prompt_len, vocab, windows, hf_models.forward, quiet,
                           q8_0)
    if not quiet:
        print(f"{family}[{variant}] {dtype} shards={shards}: wrote {out_dir} "
              f"({len(weights)} tensors, logits [{prompt_len}, {vocab}], max|logit|={logits.abs().max().item():.3f})")
    return config, weights, toks, logits


# --------------------------------------------------------------------------
# self test
# --------------------------------------------------------------------------
def _naive_llama(cfg, W, toks):
    """Deliberately naive second implementation of Llama (python loops over heads/positions/pairs)."""
    W = {k: v.double() for k, v in W.items()}
    D, H, Hk, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["num_hidden_layers"]
    hd = D // H
    eps = cfg["rms_norm_eps"]
    theta = cfg["rope_theta"]
    n = len(toks)

    def rms(vec, w):
        ms = sum(float(t) ** 2 for t in vec) / len(vec)
        return torch.tensor([float(vec[j]) / math.sqrt(ms + eps) * float(w[j]) for j in range(len(vec))], dtype=torch.float64)

    def rot(vec, pos):
        out = vec.clone()
        half = hd // 2
        for i in range(half):
            ang = pos * theta ** (-2.0 * i / hd)
            a, b = float(vec[i]), float(vec[i + half])
            out[i] = a * math.cos(ang) - b * math.sin(ang)
            out[i + half] = b * math.cos(ang) + a * math.sin(ang)
        return out

    xs = [W["model.embed_tokens.weight"][t].clone() for t in toks]
    for l in range(L):
        p = f"model.layers.{l}."
        hs = [rms(x, W[p + "input_layernorm.weight"]) for x in xs]
        Q = [W[p + "self_attn.q_proj.weight"] @ h for h in hs]
        K = [W[p + "self_attn.k_proj.weight"] @ h for h in hs]
        Vv = [W[p + "self_attn.v_proj.weight"] @ h for h in hs]
        new = []
        for t in range(n):
            heads_out = []
            for hh in range(H):
                kvh = hh // (H // Hk)
                qv = rot(Q[t][hh * hd:(hh + 1) * hd], t)
                scores = []
                for s in range(t + 1):
                    kv = rot(K[s][kvh * hd:(kvh + 1) * hd], s)
                    scores.append(sum(float(qv[j]) * float(kv[j]) for j in range(hd)) / math.sqrt(hd))
                mx = max(scores)
                ex = [math.exp(sc - mx) for sc in scores]
                z = sum(ex)
                o = sum((ex[s] / z) * Vv[s][kvh * hd:(kvh + 1) * hd] for s in range(t + 1))
                heads_out.append(o)
            new.append(xs[t] + W[p + "self_attn.o_proj.weight"] @ torch.cat(heads_out))
        xs = new
        out = []
        for x in xs:
            h = rms(x, W[p + "post_attention_layernorm.weight"])
            g = W[p + "mlp.gate_proj.weight"] @ h
            u = W[p + "mlp.up_proj.weight"] @ h
            out.append(x + W[p + "mlp.down_proj.weight"] @ (g / (1 + torch.exp(-g)) * u))
        xs = out
    lm = W["lm_head.weight"] if "lm_head.weight" in W else W["model.embed_tokens.weight"]
    return torch.stack([lm @ rms(x, W["model.norm.weight"]) for x in xs])


def _naive_stablelm(cfg, W, toks):
    """Second, loop-based StableLM (modeling_stablelm.py): per position, head and rotary pair."""
    W = {k: v.double() for k, v in W.items()}
    D, H, Hk, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["num_hidden_layers"]
    hd = D // H
    rot = int(hd * cfg["partial_rotary_factor"])
    eps, theta = cfg["layer_norm_eps"], float(cfg["rope_theta"])
    qkb, par, qkln = cfg["use_qkv_bias"], cfg["use_parallel_residual"], cfg["qk_layernorm"]
    n = len(toks)

    def ln(vec, w, b):
        vals = [float(t) for t in vec]
        mu = sum(vals) / len(vals)
        var = sum((t - mu) ** 2 for t in vals) / len(vals)
        out = [(t - mu) / math.sqrt(var + eps) * float(w[j]) + (float(b[j]) if b is not None else 0.0)
               for j, t in enumerate(vals)]
        return torch.tensor(out, dtype=torch.float64)

    def rot_(vec, pos):   # rotate_half on the first `rot` dims: pairs (i, i + rot/2), freq theta^(-2i/rot)
        out = vec.clone()
        half = rot // 2
        for i in range(half):
            ang = pos * theta ** (-2.0 * i / rot)
            a, b = float(vec[i]), float(vec[i + half])
            out[i] = a * math.cos(ang) - b * math.sin(ang)
            out[i + half] = b * math.cos(ang) + a * math.sin(ang)
        return out

    def lin(name, h, bias):
        y = W[name + ".weight"] @ h
        return y + W[name + ".bias"] if bias else y

    xs = [W["model.embed_tokens.weight"][t].clone() for t in toks]
    for l in range(L):
        p = f"model.layers.{l}."
        a = p + "self_attn."
        hs = [ln(x, W[p + "input_layernorm.weight"], W[p + "input_layernorm.bias"]) for x in xs]
        Q = [lin(a + "q_proj", h, qkb) for h in hs]
        K = [lin(a + "k_proj", h, qkb) for h in hs]
        Vv = [lin(a + "v_proj", h, qkb) for h in hs]

        def qk(vec, hh, kind, pos):
            v_ = vec[hh * hd:(hh + 1) * hd]
            if qkln:
                v_ = ln(v_, W[a + f"{kind}_layernorm.norms.{hh}.weight"], None)
            return rot_(v_, pos)

        def mlp(h):
            g = W[p + "mlp.gate_proj.weight"] @ h
            return W[p + "mlp.down_proj.weight"] @ (g / (1 + torch.exp(-g)) * (W[p + "mlp.up_proj.weight"] @ h))
        new = []
        for t in range(n):
            heads_out = []
            for hh in range(H):
                kvh = hh // (H // Hk)
                qv = qk(Q[t], hh, "q", t)
                scores = []
                for s_ in range(t + 1):
                    kv = qk(K[s_], kvh, "k", s_)
                    scores.append(sum(float(qv[j]) * float(kv[j]) for j in range(hd)) / math.sqrt(hd))
                mx = max(scores)
                ex = [math.exp(sc - mx) for sc in scores]
                z = sum(ex)
                heads_out.append(sum((ex[s_] / z) * Vv[s_][kvh * hd:(kvh + 1) * hd] for s_ in range(t + 1)))
            att = W[a + "o_proj.weight"] @ torch.cat(heads_out)
            if par:
                new.append(xs[t] + att + mlp(hs[t]))
            else:
                r = xs[t] + att
                new.append(r + mlp(ln(r, W[p + "post_attention_layernorm.weight"],
                                       W[p + "post_attention_layernorm.bias"])))
        xs = new
    lm = W["lm_head.weight"] if "lm_head.weight" in W else W["model.embed_tokens.weight"]
    return torch.stack([lm @ ln(x, W["model.norm.weight"], W["model.norm.bias"]) for x in xs])


def _mesh_bucket(rel, bidirectional, num_buckets, max_distance):
    """One relative position's bucket, scalar, in Mesh TensorFlow's formulation (n = query - key;
    transformer_layers.py `_relative_position_bucket`, which HF's T5 cites), in float64."""
    ret, n = 0, -rel
    if bidirectional:
        num_buckets //= 2
        if n < 0:
            ret += num_buckets
        n = abs(n)
    else:
        n = max(n, 0)
    max_exact = num_buckets // 2
    if n < max_exact:
        return ret + n
    v = max_exact + int(math.log(n / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact))
    return ret + min(v, num_buckets - 1)


def _naive_relbias_card(card, W, toks):
    """Loop-based second implementation of a pre-norm RMSNorm card with relative position bias
    (read from the raw card, not card_model.resolve): per position, head and key."""
    W = {k: v.double() for k, v in W.items()}
    blk = card["block"]
    D, L = card["hidden_size"], card["num_layers"]
    at, ff = blk["attention"], blk["ffn"]
    H = at["heads"]
    Hk = at.get("kv_heads", H)
    hd = D // H
    scale = at.get("scale", hd ** -0.5)
    cap = at.get("softcap")
    eps = blk["norm"]["eps"]
    assert blk["norm"]["kind"] == "rms_norm" and blk.get("placement", "pre") == "pre" and "window" not in at
    act = {"silu": lambda t: t / (1 + torch.exp(-t)), "relu": torch.relu,
           "gelu": lambda t: 0.5 * t * (1 + torch.erf(t / math.sqrt(2))),
           "gelu_tanh": lambda t: 0.5 * t * (1 + torch.tanh(math.sqrt(2 / math.pi) * (t + 0.044715 * t ** 3)))
           }[ff["activation"]]
    positions = []
    while len(positions) < L:   # layer pattern entries carry full position objects (or none)
        for e in card.get("layers") or [{}]:
            positions += [e.get("position", blk["position"])] * e.get("repeat", 1)
    n = len(toks)

    def rms(vec, w):
        ms = sum(float(t) ** 2 for t in vec) / len(vec)
        return torch.tensor([float(vec[j]) / math.sqrt(ms + eps) * float(w[j]) for j in range(len(vec))],
                            dtype=torch.float64)

    xs = [W["embed.weight"][t].clone() for t in toks]
    for l in range(L):
        ps = positions[l]
        nb, md, bd = ps.get("buckets", 32), ps.get("max_distance", 128), ps.get("bidirectional", False)
        p = f"layers.{l}."
        table = W[p + "attn.rel_bias.weight"]
        hs = [rms(x, W[p + "attn_norm.weight"]) for x in xs]
        Q = [W[p + "attn.q_proj.weight"] @ h for h in hs]
        K = [W[p + "attn.k_proj.weight"] @ h for h in hs]
        Vv = [W[p + "attn.v_proj.weight"] @ h for h in hs]
        new = []
        for t in range(n):
            heads_out = []
            for hh in range(H):
                kvh = hh // (H // Hk)
                qv = Q[t][hh * hd:(hh + 1) * hd]
                scores = []
                for s_ in range(t + 1):
                    kv = K[s_][kvh * hd:(kvh + 1) * hd]
                    sc = sum(float(qv[j]) * float(kv[j]) for j in range(hd)) * scale
                    if cap is not None:
                        sc = cap * math.tanh(sc / cap)
                    scores.append(sc + float(table[_mesh_bucket(s_ - t, bd, nb, md), hh]))
                mx = max(scores)
                ex = [math.exp(sc - mx) for sc in scores]
                z = sum(ex)
                heads_out.append(sum((ex[s_] / z) * Vv[s_][kvh * hd:(kvh + 1) * hd] for s_ in range(t + 1)))
            new.append(xs[t] + W[p + "attn.o_proj.weight"] @ torch.cat(heads_out))
        xs = new
        out = []
        for x in xs:
            h = rms(x, W[p + "ffn_norm.weight"])
            u = W[p + "ffn.up_proj.weight"] @ h
            mid = act(W[p + "ffn.gate_proj.weight"] @ h) * u if ff.get("gated", True) else act(u)
            out.append(x + W[p + "ffn.down_proj.weight"] @ mid)
        xs = out
    head = W["embed.weight"] if card.get("tie_embeddings") else W["head.weight"]
    return torch.stack([head @ rms(x, W["final_norm.weight"]) for x in xs])


# --------------------------------------------------------------------------
# card twins: a family config written as a tfc model card, and its weights renamed by the
# card's naming scheme; card_model.forward must reproduce hf_models.forward on them.
# --------------------------------------------------------------------------
def _card(D, L, block, V_=V, **top):
    c = {"format": card_model.FORMAT, "version": 1, "vocab_size": V_, "hidden_size": D, "num_layers": L,
         "block": block}
    c.update(top)
    return c


def _rename(w, rules, split=None):
    """rules: [(hf_prefix_regex, card_replacement)] applied with re.sub on the full name (first match wins)."""
    import re
    out = {}
    for k, t in w.items():
        if split is not None:
            parts = split(k, t)
            if parts is not None:
                out.update(parts)
                continue
        for pat, rep in rules:
            if re.fullmatch(pat, k):
                out[re.sub(pat, rep, k)] = t
                break
        else:
            raise KeyError(f"no card name for {k}")
    return out


_LLAMA_RULES = [
    (r"model\.embed_tokens\.weight", "embed.weight"),
    (r"model\.norm\.(weight|bias)", r"final_norm.\1"),
    (r"lm_head\.weight", "head.weight"),
    (r"model\.layers\.(\d+)\.self_attn\.(q|k|v|o)_proj\.(weight|bias)", r"layers.\1.attn.\2_proj.\3"),
    (r"model\.layers\.(\d+)\.self_attn\.(q|k)_norm\.weight", r"layers.\1.attn.\2_norm.weight"),
    (r"model\.layers\.(\d+)\.mlp\.(gate|up|down)_proj\.(weight|bias)", r"layers.\1.ffn.\2_proj.\3"),
]


def card_twin(family, variant, cfg):
    """(card, rename(weights) -> card weights) for a family config, or None if a card cannot say it."""
    f = family
    if f in ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "mixtral", "olmo2", "starcoder2"):
        D, L, H, Hk = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        eps = cfg.get("rms_norm_eps", cfg.get("norm_epsilon"))
        att = {"heads": H, "kv_heads": Hk}
        if cfg.get("head_dim"):
            att["head_dim"] = cfg["head_dim"]
        pos = {"kind": "rope", "theta": cfg.get("rope_theta", 10000.0)}
        sc = cfg.get("rope_scaling")
        if sc:
            t = sc.get("rope_type", sc.get("type"))
            pos["scaling"] = {"kind": t, "factor": sc["factor"]}
            if t == "llama3":
                pos["scaling"].update(low_freq_factor=sc["low_freq_factor"], high_freq_factor=sc["high_freq_factor"],
                                      original_max_positions=sc["original_max_position_embeddings"])
        block = {"norm": {"kind": "rms_norm", "eps": eps}, "position": pos, "attention": att,
                 "ffn": {"activation": "silu", "gated": True, "intermediate": cfg["intermediate_size"]}}
        top = {"tie_embeddings": bool(cfg.get("tie_word_embeddings", hf_models._TIE_DEFAULT[f]))}
        rules = list(_LLAMA_RULES) + [
            (r"model\.layers\.(\d+)\.input_layernorm\.(\w+)", r"layers.\1.attn_norm.\2"),
            (r"model\.layers\.(\d+)\.post_attention_layernorm\.(\w+)",
             r"layers.\1.post_attn_norm.\2" if f in ("gemma2", "olmo2") else r"layers.\1.ffn_norm.\2"),
            (r"model\.layers\.(\d+)\.mlp\.c_fc\.(\w+)", r"layers.\1.ffn.up_proj.\2"),
            (r"model\.layers\.(\d+)\.mlp\.c_proj\.(\w+)", r"layers.\1.ffn.down_proj.\2"),
            (r"model\.layers\.(\d+)\.pre_feedforward_layernorm\.weight", r"layers.\1.ffn_norm.weight"),
            (r"model\.layers\.(\d+)\.post_feedforward_layernorm\.weight", r"layers.\1.post_ffn_norm.weight"),
            (r"model\.layers\.(\d+)\.block_sparse_moe\.gate\.weight", r"layers.\1.moe.router.weight"),
            (r"model\.layers\.(\d+)\.block_sparse_moe\.experts\.(\d+)\.w1\.weight", r"layers.\1.moe.experts.\2.gate_proj.weight"),
            (r"model\.layers\.(\d+)\.block_sparse_moe\.experts\.(\d+)\.w3\.weight", r"layers.\1.moe.experts.\2.up_proj.weight"),
            (r"model\.layers\.(\d+)\.block_sparse_moe\.experts\.(\d+)\.w2\.weight", r"layers.\1.moe.experts.\2.down_proj.weight"),
        ]
        if f == "llama":
            att["qkv_bias"] = att["out_bias"] = bool(cfg.get("attention_bias"))
            block["ffn"]["bias"] = bool(cfg.get("mlp_bias"))
        elif f == "mistral":
            att["window"] = cfg["sliding_window"]
        elif f == "qwen2":
            att["qkv_bias"] = True
            sw = cfg["sliding_window"] if cfg.get("use_sliding_window") else None
            k = min(cfg.get("max_window_layers", L), L)
            if sw is not None and k < L:
                att["window"] = sw
                top["layers"] = ([{"attention": {"window": None}, "repeat": k}] if k else []) + [{"repeat": L - k}]
        elif f == "gemma":
            block["norm"]["weight_offset"] = 1.0
            block["ffn"]["activation"] = "gelu_tanh"
            top["embedding"] = {"scale": "sqrt_hidden"}
        elif f == "starcoder2":
            block["norm"] = {"kind": "layer_norm", "eps": eps, "bias": True}
            att.update(qkv_bias=True, out_bias=True, window=cfg["sliding_window"])
            block["ffn"] = {"activation": "gelu_tanh", "gated": False, "intermediate": cfg["intermediate_size"],
                            "bias": True}
        elif f == "gemma2":
            block["norm"]["weight_offset"] = 1.0
            block["placement"] = "sandwich"
            block["ffn"]["activation"] = "gelu_tanh"
            att.update(scale=cfg["query_pre_attn_scalar"] ** -0.5, softcap=cfg["attn_logit_softcapping"],
                       window=cfg["sliding_window"])
            top.update(embedding={"scale": "sqrt_hidden"}, final_softcap=cfg["final_logit_softcapping"],
                       layers=[{}, {"attention": {"window": None}}])
        elif f == "olmo2":
            block["placement"] = "post_sublayer"
            att["qk_norm"] = "full"
        elif f == "qwen3":
            att["qk_norm"] = "per_head"
        elif f == "mixtral":
            att["window"] = cfg["sliding_window"]
            block["moe"] = {"experts": cfg["num_local_experts"], "top_k": cfg["num_experts_per_tok"], "renormalize": True}
        return _card(D, L, block, **top), lambda w: _rename(w, rules)

    if f == "deepseek_v2":
        D, L, H = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"]
        mla = {"q_lora_rank": cfg["q_lora_rank"] or 0, "kv_lora_rank": cfg["kv_lora_rank"],
               "qk_nope_head_dim": cfg["qk_nope_head_dim"], "qk_rope_head_dim": cfg["qk_rope_head_dim"],
               "v_head_dim": cfg["v_head_dim"]}
        block = {"norm": {"kind": "rms_norm", "eps": cfg["rms_norm_eps"]},
                 "position": {"kind": "rope", "theta": cfg["rope_theta"], "style": "interleaved"},
                 "attention": {"heads": H, "mla": mla},
                 "ffn": {"activation": "silu", "gated": True, "intermediate": cfg["intermediate_size"]},
                 "moe": {"experts": cfg["n_routed_experts"], "top_k": cfg["num_experts_per_tok"],
                         "intermediate": cfg["moe_intermediate_size"], "shared": cfg["n_shared_experts"],
                         "routed_scale": cfg["routed_scaling_factor"]}}
        k = cfg["first_k_dense_replace"]
        layers = [{"moe": None, "repeat": k}, {"repeat": L - k}] if k else None
        rules = list(_LLAMA_RULES) + [
            (r"model\.layers\.(\d+)\.input_layernorm\.weight", r"layers.\1.attn_norm.weight"),
            (r"model\.layers\.(\d+)\.post_attention_layernorm\.weight", r"layers.\1.ffn_norm.weight"),
            (r"model\.layers\.(\d+)\.self_attn\.(q_a_proj|q_b_proj|kv_b_proj)\.weight", r"layers.\1.attn.\2.weight"),
            (r"model\.layers\.(\d+)\.self_attn\.kv_a_proj_with_mqa\.weight", r"layers.\1.attn.kv_a_proj.weight"),
            (r"model\.layers\.(\d+)\.self_attn\.(q_a|kv_a)_layernorm\.weight", r"layers.\1.attn.\2_norm.weight"),
            (r"model\.layers\.(\d+)\.mlp\.gate\.weight", r"layers.\1.moe.router.weight"),
            (r"model\.layers\.(\d+)\.mlp\.experts\.(\d+)\.(\w+)\.weight", r"layers.\1.moe.experts.\2.\3.weight"),
            (r"model\.layers\.(\d+)\.mlp\.shared_experts\.(\w+)\.weight", r"layers.\1.moe.shared.\2.weight"),
        ]
        c = _card(D, L, block)
        if layers:
            c["layers"] = layers
        return c, lambda w: _rename(w, rules)

    if f == "stablelm":
        if cfg.get("qk_layernorm"):
            return None      # per-head LayerNorm q/k without bias: a card's qk_norm is RMSNorm
        D, L, H = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"]
        par = bool(cfg["use_parallel_residual"])
        block = {"norm": {"kind": "layer_norm", "eps": cfg["layer_norm_eps"], "bias": True},
                 "shape": "parallel" if par else "serial", "shared_norm": par,
                 "position": {"kind": "rope", "theta": float(cfg["rope_theta"]),
                              "fraction": cfg["partial_rotary_factor"]},
                 "attention": {"heads": H, "kv_heads": cfg["num_key_value_heads"],
                               "qkv_bias": bool(cfg["use_qkv_bias"]), "out_bias": False},
                 "ffn": {"activation": "silu", "gated": True, "intermediate": cfg["intermediate_size"]}}
        rules = list(_LLAMA_RULES) + [
            (r"model\.layers\.(\d+)\.input_layernorm\.(\w+)", r"layers.\1.attn_norm.\2"),
            (r"model\.layers\.(\d+)\.post_attention_layernorm\.(\w+)", r"layers.\1.ffn_norm.\2"),
        ]
        return (_card(D, L, block, tie_embeddings=bool(cfg["tie_word_embeddings"])),
                lambda w: _rename(w, rules))

    if f in ("phi", "gpt_neox", "bloom", "mpt", "gpt2"):
        if f == "phi" and cfg.get("qk_layernorm"):
            return None      # LayerNorm q/k with bias: a card's qk_norm is RMSNorm
        if f == "bloom" and cfg.get("apply_residual_connection_post_layernorm"):
            return None      # the residual is the normed input: no placement says that
        D = cfg.get("hidden_size") or cfg.get("n_embd") or cfg.get("d_model")
        L = cfg.get("num_hidden_layers") or cfg.get("n_layer") or cfg.get("n_layers")
        H = cfg.get("num_attention_heads") or cfg.get("n_head") or cfg.get("n_heads")
        hd = D // H
        eps = cfg.get("layer_norm_eps", cfg.get("layer_norm_epsilon", 1e-5))
        ln = {"kind": "layer_norm", "eps": eps, "bias": f != "mpt"}
        att = {"heads": H, "qkv_bias": f != "mpt", "out_bias": f != "mpt"}
        top = {}
        rules = []
        split = None
        if f == "phi":
            att["kv_heads"] = cfg["num_key_value_heads"]
            block = {"norm": ln, "shape": "parallel", "shared_norm": True,
                     "position": {"kind": "rope", "theta": cfg["rope_theta"], "fraction": cfg["partial_rotary_factor"]},
                     "attention": att,
                     "ffn": {"activation": "gelu_tanh", "gated": False, "intermediate": cfg["intermediate_size"], "bias": True}}
            top.update(lm_head_bias=True)
            rules = [(r"model\.embed_tokens\.weight", "embed.weight"),
                     (r"model\.final_layernorm\.(\w+)", r"final_norm.\1"),
                     (r"lm_head\.(\w+)", r"head.\1"),
                     (r"model\.layers\.(\d+)\.input_layernorm\.(\w+)", r"layers.\1.attn_norm.\2"),
                     (r"model\.layers\.(\d+)\.self_attn\.(q|k|v)_proj\.(\w+)", r"layers.\1.attn.\2_proj.\3"),
                     (r"model\.layers\.(\d+)\.self_attn\.dense\.(\w+)", r"layers.\1.attn.o_proj.\2"),
                     (r"model\.layers\.(\d+)\.mlp\.fc1\.(\w+)", r"layers.\1.ffn.up_proj.\2"),
                     (r"model\.layers\.(\d+)\.mlp\.fc2\.(\w+)", r"layers.\1.ffn.down_proj.\2")]
        elif f == "gpt_neox":
            block = {"norm": ln, "shape": "parallel" if cfg["use_parallel_residual"] else "serial",
                     "position": {"kind": "rope", "theta": float(cfg["rotary_emb_base"]), "fraction": cfg["rotary_pct"]},
                     "attention": att,
                     "ffn": {"activation": "gelu", "gated": False, "intermediate": cfg["intermediate_size"], "bias": True}}
            rules = [(r"gpt_neox\.embed_in\.weight", "embed.weight"),
                     (r"gpt_neox\.final_layer_norm\.(\w+)", r"final_norm.\1"),
                     (r"embed_out\.weight", "head.weight"),
                     (r"gpt_neox\.layers\.(\d+)\.input_layernorm\.(\w+)", r"layers.\1.attn_norm.\2"),
                     (r"gpt_neox\.layers\.(\d+)\.post_attention_layernorm\.(\w+)", r"layers.\1.ffn_norm.\2"),
                     (r"gpt_neox\.layers\.(\d+)\.attention\.dense\.(\w+)", r"layers.\1.attn.o_proj.\2"),
                     (r"gpt_neox\.layers\.(\d+)\.mlp\.dense_h_to_4h\.(\w+)", r"layers.\1.ffn.up_proj.\2"),
                     (r"gpt_neox\.layers\.(\d+)\.mlp\.dense_4h_to_h\.(\w+)", r"layers.\1.ffn.down_proj.\2")]

            def split(k, t):   # fused qkv, per head [q, k, v]
                if ".attention.query_key_value." not in k:
                    return None
                i, kind = k.split(".")[2], k.rsplit(".", 1)[1]
                t = t.reshape(H, 3, hd, *t.shape[1:])
                return {f"layers.{i}.attn.{nm}_proj.{kind}": t[:, j].reshape(D, *t.shape[3:])
                        for j, nm in enumerate("qkv")}
        elif f == "bloom":
            block = {"norm": ln, "placement": "pre", "position": {"kind": "alibi", "max_bias": 8.0}, "attention": att,
                     "ffn": {"activation": "gelu_tanh", "gated": False, "intermediate": 4 * D, "bias": True}}
            top.update(embedding={"norm": True}, tie_embeddings=True)
            pre = r"(?:transformer\.)?"
            rules = [(pre + r"word_embeddings\.weight", "embed.weight"),
                     (pre + r"word_embeddings_layernorm\.(\w+)", r"embed_norm.\1"),
                     (pre + r"ln_f\.(\w+)", r"final_norm.\1"),
                     (pre + r"h\.(\d+)\.input_layernorm\.(\w+)", r"layers.\1.attn_norm.\2"),
                     (pre + r"h\.(\d+)\.post_attention_layernorm\.(\w+)", r"layers.\1.ffn_norm.\2"),
                     (pre + r"h\.(\d+)\.self_attention\.dense\.(\w+)", r"layers.\1.attn.o_proj.\2"),
                     (pre + r"h\.(\d+)\.mlp\.dense_h_to_4h\.(\w+)", r"layers.\1.ffn.up_proj.\2"),
                     (pre + r"h\.(\d+)\.mlp\.dense_4h_to_h\.(\w+)", r"layers.\1.ffn.down_proj.\2")]

            def split(k, t):   # fused qkv, per head [q, k, v]
                if ".self_attention.query_key_value." not in k:
                    return None
                i, kind = k.split("h.", 1)[1].split(".")[0], k.rsplit(".", 1)[1]
                t = t.reshape(H, 3, hd, *t.shape[1:])
                return {f"layers.{i}.attn.{nm}_proj.{kind}": t[:, j].reshape(D, *t.shape[3:])
                        for j, nm in enumerate("qkv")}
        elif f == "mpt":
            ac = cfg["attn_config"]
            if ac.get("clip_qkv"):
                att["clip_qkv"] = ac["clip_qkv"]
            if ac.get("softmax_scale"):
                att["scale"] = ac["softmax_scale"]
            block = {"norm": ln, "position": {"kind": "alibi", "max_bias": 8.0}, "attention": att,
                     "ffn": {"activation": "gelu", "gated": False, "intermediate": 4 * D}}
            top.update(tie_embeddings=True)
            rules = [(r"transformer\.wte\.weight", "embed.weight"),
                     (r"transformer\.norm_f\.weight", "final_norm.weight"),
                     (r"transformer\.blocks\.(\d+)\.norm_1\.weight", r"layers.\1.attn_norm.weight"),
                     (r"transformer\.blocks\.(\d+)\.norm_2\.weight", r"layers.\1.ffn_norm.weight"),
                     (r"transformer\.blocks\.(\d+)\.attn\.out_proj\.weight", r"layers.\1.attn.o_proj.weight"),
                     (r"transformer\.blocks\.(\d+)\.ffn\.(up|down)_proj\.weight", r"layers.\1.ffn.\2_proj.weight")]

            def split(k, t):   # q | k | v
                if ".attn.Wqkv." not in k:
                    return None
                i = k.split(".")[2]
                return {f"layers.{i}.attn.{nm}_proj.weight": p for nm, p in zip("qkv", t.chunk(3, 0))}
        else:  # gpt2: Conv1D [in, out], fused q | k | v, learned positions
            block = {"norm": ln, "position": "none", "attention": att,
                     "ffn": {"activation": "gelu_tanh", "gated": False, "intermediate": cfg.get("n_inner") or 4 * D,
                             "bias": True}}
            top.update(embedding={"positions": "learned", "max_positions": cfg["n_positions"]}, tie_embeddings=True)

            def split(k, t):
                k = k[len("transformer."):] if k.startswith("transformer.") else k
                if k == "wte.weight":
                    return {"embed.weight": t}
                if k == "wpe.weight":
                    return {"pos_embed.weight": t}
                if k.startswith("ln_f."):
                    return {"final_norm." + k[5:]: t}
                _, i, mod, *rest = k.split(".")
                kind = rest[-1]
                tt = t.t() if kind == "weight" else t
                p = f"layers.{i}."
                if mod in ("ln_1", "ln_2"):
                    return {p + ("attn_norm." if mod == "ln_1" else "ffn_norm.") + kind: t}
                name = ".".join(rest[:-1])
                if name == "c_attn":
                    return {p + f"attn.{nm}_proj.{kind}": x for nm, x in zip("qkv", tt.chunk(3, 0))}
                return {p + {("attn", "c_proj"): "attn.o_proj", ("mlp", "c_fc"): "ffn.up_proj",
                             ("mlp", "c_proj"): "ffn.down_proj"}[(mod, name)] + "." + kind: tt}
        return _card(D, L, block, **top), lambda w: _rename(w, rules, split)
    return None


def selftest():
    ok = True

    def check(cond, msg):
        nonlocal ok
        print(("PASS " if cond else "FAIL ") + msg)
        ok = ok and bool(cond)

    tmp = tempfile.mkdtemp(prefix="tfc_ref_")
    try:
        # 1. llama vs naive loop implementation
        cfg, w, toks, lg = make("llama", os.path.join(tmp, "llama"), quiet=True, prompt_len=10)
        nv = _naive_llama(cfg, w, toks)
        err = (nv - lg).abs().max().item()
        check(err < 1e-9, f"llama vectorised vs naive loops: max err {err:.2e}")

        # 1b. stablelm (partial rotary, LayerNorm with bias, serial / parallel, qk_layernorm) vs naive loops
        for var in VARIANTS["stablelm"]:
            cfg, w, toks, lg = make("stablelm", os.path.join(tmp, "stablelm_" + var), variant=var, quiet=True,
                                    prompt_len=8)
            err = (_naive_stablelm(cfg, w, toks) - lg).abs().max().item()
            check(err < 1e-9, f"stablelm[{var}] vectorised vs naive loops: max err {err:.2e}")

        # 2. tied embeddings: tied checkpoint has no lm_head; equals untied model with lm_head := embed
        cfg_t, w_t, toks_t, lg_t = make("llama", os.path.join(tmp, "llama_tied"), variant="tied", quiet=True)
        check("lm_head.weight" not in w_t, "tied llama checkpoint has no lm_head tensor")
        cfg_u = dict(cfg_t, tie_word_embeddings=False)
        w_u = dict(w_t)
        w_u["lm_head.weight"] = w_t["model.embed_tokens.weight"].clone()
        err = (hf_models.forward(cfg_u, w_u, toks_t) - lg_t).abs().max().item()
        check(err == 0.0, f"tied == untied-with-copied-head: {err:.2e}")
        try:
            hf_models.forward(cfg_u, w_t, toks_t)
            check(False, "untied config without lm_head must raise")
        except KeyError:
            check(True, "untied config without lm_head raises KeyError")

        # 3. sharding gives identical tensors and logits
        for fam in ("llama", "deepseek_v2"):
            _, w1, t1, l1 = make(fam, os.path.join(tmp, fam + "_s1"), dtype="bf16", quiet=True)
            _, _, t2, l2 = make(fam, os.path.join(tmp, fam + "_s2"), dtype="bf16", shards=2, quiet=True)
            c2, w2 = hf_models.load_checkpoint(os.path.join(tmp, fam + "_s2"))
            same = set(w1) == set(w2) and all(torch.equal(w1[k].view(torch.int16), w2[k].view(torch.int16)) for k in w1)
            files = sorted(os.listdir(os.path.join(tmp, fam + "_s2")))
            check(same and t1 == t2 and torch.equal(l1, l2)
                  and "model-00001-of-00002.safetensors" in files and "model-00002-of-00002.safetensors" in files,
                  f"{fam}: 2 shards + index == single file (bf16)")

        # 4. dtype round trips (bit exact) incl. awkward values
        vals = torch.tensor([0.0, -0.0, 1.0, -1.5, 3.14159, 1e-8, 65504.0, 1e30, -2.5e-3, 0.1], dtype=torch.float32)
        for dt in (torch.float32, torch.float16, torch.bfloat16):
            t = vals.to(dt).reshape(2, 5)
            pth = os.path.join(tmp, f"rt_{dt}.safetensors")
            hf_models.save_safetensors(pth, {"a": t, "b": t[:1].clone()})
            back = hf_models.load_safetensors(pth)
            bits = (lambda x: x.view(torch.int16)) if dt != torch.float32 else (lambda x: x.view(torch.int32))
            check(back["a"].dtype == dt and torch.equal(bits(back["a"]), bits(t)) and back["b"].shape == (1, 5),
                  f"safetensors round trip {dt}")
        with open(pth, "rb") as fh:
            raw = fh.read()
        hl = int.from_bytes(raw[:8], "little")
        hdr = json.loads(raw[8:8 + hl])
        check(hdr["a"]["dtype"] == "BF16" and hl % 8 == 0 and hdr["a"]["data_offsets"] == [0, 20],
              "safetensors header layout (BF16 tag, 8-byte aligned header, offsets)")
        # bf16 rounding of the stored weights is what the reference sees
        _, wb, _, _ = make("llama", os.path.join(tmp, "llama_bf16"), dtype="bf16", quiet=True)
        _, wf, _, _ = make("llama", os.path.join(tmp, "llama_f32"), dtype="f32", quiet=True)
        k0 = "model.layers.0.self_attn.q_proj.weight"
        check(torch.equal(wb[k0], wf[k0].to(torch.bfloat16)), "bf16 checkpoint = f32 weights rounded to bf16")

        # 5. DeepSeek rope: de-interleave + rotate_half == HF complex multiplication on adjacent pairs
        g = torch.Generator().manual_seed(3)
        d, n = 8, 7
        q = torch.randn(2, n, d, generator=g, dtype=torch.float64)
        k = torch.randn(1, n, d, generator=g, dtype=torch.float64)
        inv, _ = hf_models._inv_freq(d, 10000.0)
        cos, sin = hf_models._cos_sin(inv, n)
        ours = (hf_models._rope(hf_models._deinterleave(q), cos, sin)
                @ hf_models._rope(hf_models._deinterleave(k), cos, sin).transpose(-1, -2))
        fr = torch.polar(torch.ones(n, d // 2, dtype=torch.float64), torch.arange(n, dtype=torch.float64)[:, None] * inv)
        qc = torch.view_as_real(torch.view_as_complex(q.reshape(2, n, d // 2, 2)) * fr).flatten(2)
        kc = torch.view_as_real(torch.view_as_complex(k.reshape(1, n, d // 2, 2)) * fr).flatten(2)
        err = (ours - qc @ kc.transpose(-1, -2)).abs().max().item()
        check(err < 1e-12, f"deepseek rope de-interleave == HF complex form: {err:.1e}")

        # 6. sliding-window boundary: a query at t sees exactly W keys (t-W+1..t)
        a = hf_models._allowed(12, 4)
        check(a[10].nonzero().flatten().tolist() == [7, 8, 9, 10], "window=4: query 10 sees keys 7..10")
        # one-layer mistral: perturbing token t-W leaves logits[t] unchanged, t-W+1 changes them
        cm = config_for("mistral", "default")
        cm["num_hidden_layers"] = 1
        cm["torch_dtype"] = "float32"
        wm = make_weights(weight_spec(cm, "default"), 0, torch.float32)
        tk = list(range(3, 23))
        base = hf_models.forward(cm, wm, tk)
        t_ = 15
        out1 = hf_models.forward(cm, wm, tk[:t_ - 8] + [200] + tk[t_ - 7:])
        out2 = hf_models.forward(cm, wm, tk[:t_ - 7] + [200] + tk[t_ - 6:])
        check((out1[t_] - base[t_]).abs().max().item() == 0.0 and (out2[t_] - base[t_]).abs().max().item() > 1e-6,
              "1-layer mistral window=8: token t-8 invisible, t-7 visible")
        cg = config_for("gemma2", "default")
        check(hf_models._layer_windows(cg, "gemma2", 4) == [8, None, 8, None], "gemma2: even layers slide")
        cq = config_for("qwen2", "default")
        check(hf_models._layer_windows(cq, "qwen2", 3) == [None, 8, 8], "qwen2: layers >= max_window_layers slide")

        # 7. card reference: every family it can express, written as a card with renamed weights,
        #    gives the family's logits; the card checkpoint's names are exactly weight_spec's.
        for fam in hf_models.FAMILIES:
            for var in VARIANTS[fam]:
                cfg_f = config_for(fam, var)
                cfg_f["torch_dtype"] = "float32"
                tw = card_twin(fam, var, cfg_f)
                if tw is None:
                    continue
                card, rename = tw
                wf = make_weights(weight_spec(cfg_f, var), 0, torch.float32)
                wc = rename(wf)
                spec = {nm: shp for nm, shp, _ in card_model.weight_spec(card)}
                shapes_ok = set(spec) == set(wc) and all(tuple(wc[k].shape) == spec[k] for k in spec)
                tk = list(range(5, 5 + 3 * min(24, cfg_f.get("n_positions", 24)), 3))
                ref = hf_models.forward(cfg_f, wf, tk)
                err = (card_model.forward(card, wc, tk) - ref).abs().max().item() / ref.abs().max().item()
                check(shapes_ok and err < 1e-9, f"card twin of {fam}[{var}]: names/shapes match, rel err {err:.1e}")
        g = torch.Generator().manual_seed(5)
        xx = torch.randn(3, 7, 12, generator=g, dtype=torch.float64)
        inv, _ = hf_models._inv_freq(8, 100.0)
        cs, sn = hf_models._cos_sin(inv, 7)
        a1 = card_model.apply_rope(xx, cs, sn, "interleaved")
        perm = hf_models._deinterleave(torch.arange(8.0)).long()
        a2 = hf_models._rope(torch.cat([xx[..., :8][..., perm], xx[..., 8:]], -1), cs, sn)
        check((a1[..., :8][..., perm] - a2[..., :8]).abs().max().item() < 1e-12 and torch.equal(a1[..., 8:], xx[..., 8:]),
              "card interleaved RoPE == de-interleave + rotate_half (partial: tail untouched)")

        # 7b. relative position bias (T5): HF's vectorised float32 buckets == a scalar Mesh-TF-style
        #     float64 loop on every configuration used, plus hand-computed values for T5's defaults;
        #     the card forward == a loop-based model; misreadings move the logits well past 1e-4.
        rp = -torch.arange(0, 300)
        same = all(card_model.relative_position_bucket(rp, bd, nb, md).tolist()
                   == [_mesh_bucket(int(r), bd, nb, md) for r in rp]
                   for nb, md in ((8, 16), (32, 128), (16, 40), (6, 9)) for bd in (False, True))
        uni = card_model.relative_position_bucket(-torch.tensor([15, 16, 20, 32, 64, 127, 128, 500]), False, 32, 128)
        bi = card_model.relative_position_bucket(torch.tensor([-7, -8, -12, 0, 1, 7, 8, 12, 200]), True, 32, 128)
        check(same and uni.tolist() == [15, 16, 17, 21, 26, 31, 31, 31]
              and bi.tolist() == [7, 8, 9, 0, 17, 23, 24, 25, 31],
              "relative_position_bucket == scalar Mesh-TF loop; T5 defaults give the hand-computed buckets")
        tcard_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "Inputs", "cards",
                                  "t5-bias.json")
        tcard, tw_, ttk, tlg = make_card(tcard_path, os.path.join(tmp, "t5b"), quiet=True, prompt_len=24)
        err = (_naive_relbias_card(tcard, tw_, ttk) - tlg).abs().max().item() / tlg.abs().max().item()
        check(err < 1e-9, f"t5-bias card vectorised vs naive loops: rel err {err:.1e}")
        sc_card = copy.deepcopy(tcard)
        sc_card["block"]["attention"].update(scale=1.0, softcap=3.0)
        w_sc = make_weights(card_model.weight_spec(sc_card), 1, torch.float32)
        ref_sc = card_model.forward(sc_card, w_sc, ttk[:14])
        err = (_naive_relbias_card(sc_card, w_sc, ttk[:14]) - ref_sc).abs().max().item() / ref_sc.abs().max().item()
        check(err < 1e-9, f"t5-bias card with scale 1 and soft-cap 3 vs naive loops: rel err {err:.1e}")
        bad = []
        for pos_ in ({"kind": "relative_bias", "buckets": 2, "bidirectional": True},
                     {"kind": "relative_bias", "buckets": 8, "max_distance": 4}):
            bc = copy.deepcopy(tcard)
            bc["block"]["position"] = pos_
            try:
                card_model.resolve(bc)
            except ValueError as e:
                bad.append(str(e))
        check(len(bad) == 2 and "buckets" in bad[0] and "max_distance" in bad[1],
              f"relative_bias: too few buckets and max_distance <= max_exact are rejected ({bad})")
        true_bias = card_model.relative_bias
        first_table = {}

        def misread(kind):
            def rb(pos, table, n):
                p_ = torch.arange(n)[:, None]
                j_ = torch.arange(n)[None, :]
                nb, md, bd = pos["buckets"], pos["max_distance"], pos["bidirectional"]
                if kind == "query - key":
                    b = card_model.relative_position_bucket(p_ - j_, bd, nb, md)
                elif kind == "bidirectional flipped":
                    b = card_model.relative_position_bucket(j_ - p_, not bd, nb, md)
                elif kind == "distance off by one":
                    b = card_model.relative_position_bucket(j_ - p_ - 1, bd, nb, md)
                elif kind == "no log buckets (clamped exact)":
                    b = (p_ - j_).clamp(0, nb // (2 if bd else 1) - 1)
                elif kind == "layer 0's table everywhere (HF T5 sharing)":
                    table = first_table.setdefault("t", table)
                    b = card_model.relative_position_bucket(j_ - p_, bd, nb, md)
                elif kind == "no bias":
                    return torch.zeros(table.shape[1], n, n, dtype=table.dtype)
                return table[b].permute(2, 0, 1)
            return rb
        try:
            for kind in ("query - key", "bidirectional flipped", "distance off by one",
                         "no log buckets (clamped exact)", "layer 0's table everywhere (HF T5 sharing)", "no bias"):
                card_model.relative_bias = misread(kind)
                first_table.clear()
                moved = (card_model.forward(tcard, tw_, ttk) - tlg).abs().max().item() / tlg.abs().max().item()
                check(moved > 1e-2, f"t5-bias misreading '{kind}' moves the logits by {moved:.2f} of max|logit|")
        finally:
            card_model.relative_bias = true_bias

        # the end-to-end test cards: finite, O(1)-O(10) logits, 2 shards == 1 file
        cdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "Inputs", "cards")
        for fn in sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []:
            if fn.endswith(".json"):
                _, _, _, l1 = make_card(os.path.join(cdir, fn), os.path.join(tmp, "c1"), quiet=True)
                _, _, _, l2 = make_card(os.path.join(cdir, fn), os.path.join(tmp, "c2"), shards=2, quiet=True)
                m = l1.abs().max().item()
                check(torch.isfinite(l1).all() and 0.3 < m < 50 and torch.equal(l1, l2),
                      f"card {fn}: logits finite, max|.|={m:.2f}, 2 shards == 1 file")

        # 8. name forms: a base-model save (prefix stripped) and a tied checkpoint holding an unused
        #    head give the same logits as the default names.
        for fam, kw in (("gpt2", {"base_names": True}), ("bloom", {"base_names": True}),
                        ("llama", {"base_names": True}), ("gpt_neox", {"base_names": True}),
                        ("stablelm", {"base_names": True}),
                        ("falcon", {"include_head": True}),
                        ("gpt2", {"base_names": True, "include_head": True})):
            _, _, _, l0 = make(fam, os.path.join(tmp, f"{fam}_names0"), quiet=True)
            _, w1, _, l1 = make(fam, os.path.join(tmp, f"{fam}_names1"), quiet=True, **kw)
            pre = hf_models.BASE_MODEL_PREFIX[fam]
            names_ok = not kw.get("base_names") or not any(k.startswith(pre) for k in w1)
            check(names_ok and torch.equal(l0, l1), f"{fam} {sorted(kw)}: same logits as the default names")

        # 9. every family/variant: finite, O(1)-O(10) logits
        for fam in hf_models.FAMILIES:
            for var in VARIANTS[fam]:
                plen = 12 if var == "positions16" else 24
                _, _, _, l = make(fam, os.path.join(tmp, f"{fam}_{var}"), variant=var, prompt_len=plen,
                                  quiet=True)
                m = l.abs().max().item()
                check(torch.isfinite(l).all() and 0.3 < m < 50 and l.std().item() > 0.05,
                      f"{fam}[{var}] logits finite, max|.|={m:.2f}, std={l.std().item():.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("SELFTEST " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family")
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="f32")
    ap.add_argument("--shards", type=int, choices=[1, 2], default=1)
    ap.add_argument("--prompt-len", type=int, default=24)
    ap.add_argument("--variant", default="default", help="family-specific config variant (see --list-variants)")
    ap.add_argument("--card", help="a tfc model card (JSON); implies --family card")
    ap.add_argument("--base-model-names", action="store_true",
                    help="name the tensors as a base-model save does (base_model_prefix stripped)")
    ap.add_argument("--include-tied-head", action="store_true",
                    help="a tied model's checkpoint also holds the (unused) untied LM head")
    ap.add_argument("--reference-q8-0", action="store_true",
                    help="compute the logits with the projection matrices rounded to GGUF's Q8_0, "
                         "and their inputs too")
    ap.add_argument("--reference-q8-0-weights", action="store_true",
                    help="as --reference-q8-0, but the projections' inputs stay as they are "
                         "(tfc-compile --quantize=q8_0 --pipeline-options=quantize-activations=false)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--list-variants", action="store_true")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(hf_models.FAMILIES))
        return 0
    if a.list_variants:
        for fam in hf_models.FAMILIES:
            for v in VARIANTS[fam]:
                print(fam, v)
        return 0
    if a.selftest:
        return selftest()
    if a.card and not a.family:
        a.family = "card"
    if not a.family or not a.out:
        ap.error("--family and --out are required")
    if a.prompt_len < 1:
        ap.error("--prompt-len must be >= 1")
    if a.family == "card":
        if not a.card:
            ap.error("--family card needs --card CARD.json")
        if a.variant != "default":
            ap.error("--variant does not apply to --card")
        make_card(a.card, a.out, a.seed, a.dtype, a.shards, a.prompt_len,
                  base_names=a.base_model_names, include_head=a.include_tied_head)
        return 0
    if a.card:
        ap.error("--card needs --family card (or no --family)")
    make(a.family, a.out, a.seed, a.dtype, a.shards, a.prompt_len, a.variant,
         base_names=a.base_model_names, include_head=a.include_tied_head,
         q8_0="weights" if a.reference_q8_0_weights else a.reference_q8_0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
