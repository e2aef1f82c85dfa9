"""Independent float64 PyTorch reference for Hugging Face decoder-only families.

Written from the Hugging Face `transformers` modeling/configuration code (see
README.md for the file/function followed for each family).  Everything is
computed in float64 from the weights *as stored* (i.e. already rounded to the
checkpoint dtype).

Public API
    forward(config: dict, weights: dict[str, Tensor], token_ids: list[int]) -> Tensor[n, vocab] (float64)
    load_checkpoint(dir) -> (config, weights)          (single or sharded safetensors)
    save_safetensors(path, tensors, metadata=None)
    load_safetensors(path) -> dict[str, Tensor]
    FAMILIES: tuple of supported model_type strings
    DIAG: list of diagnostics appended by the last forward (e.g. MoE router margins)

Only torch (1.13) and numpy are needed.  No transformers / safetensors package.
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch

DT = torch.float64

FAMILIES = (
    "llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "mixtral", "gpt2",
    "gpt_neox", "phi", "falcon", "bloom", "mpt", "olmo2", "starcoder2", "deepseek_v2", "stablelm",
)

# Diagnostics from the most recent forward() (router margins etc.).
DIAG = []


def _warn(msg):
    print(f"hf_models: warning: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------
# safetensors (tiny reader / writer)
# --------------------------------------------------------------------------
# name -> (torch dtype, numpy storage dtype, bytes per element)
_ST = {
    "F64": (torch.float64, "<f8", 8),
    "F32": (torch.float32, "<f4", 4),
    "F16": (torch.float16, "<f2", 2),
    "BF16": (torch.bfloat16, "<i2", 2),   # stored as raw 16-bit patterns
    "I64": (torch.int64, "<i8", 8),
    "I32": (torch.int32, "<i4", 4),
}
_TORCH2ST = {v[0]: k for k, v in _ST.items()}


def _tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    st = _TORCH2ST[t.dtype]
    if st == "BF16":
        arr = t.view(torch.int16).numpy()
    else:
        arr = t.numpy()
    return st, arr.astype(_ST[st][1], copy=False).tobytes()


def save_safetensors(path, tensors, metadata=None):
    """Write a safetensors file: u64 LE header length, JSON header, raw LE data."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    off = 0
    for name in tensors:
        st, b = _tensor_bytes(tensors[name])
        header[name] = {"dtype": st, "shape": list(tensors[name].shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)  # pad header to 8-byte alignment like the reference impl
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (hlen,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + hlen].decode("utf-8"))
    base = 8 + hlen
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        tdt, npdt, _ = _ST[info["dtype"]]
        s, e = info["data_offsets"]
        arr = np.frombuffer(data[base + s: base + e], dtype=npdt).copy()
        t = torch.from_numpy(arr)
        if info["dtype"] == "BF16":
            t = t.view(torch.bfloat16)
        out[name] = t.reshape(info["shape"])
    return out


def load_checkpoint(d):
    """Return (config dict, weights dict) from an HF-style checkpoint directory."""
    with open(os.path.join(d, "config.json")) as f:
        config = json.load(f)
    idx = os.path.join(d, "model.safetensors.index.json")
    weights = {}
    if os.path.exists(idx):
        with open(idx) as f:
            wm = json.load(f)["weight_map"]
        for fn in sorted(set(wm.values())):
            part = load_safetensors(os.path.join(d, fn))
            for k, v in part.items():
                if wm.get(k) != fn:
                    raise ValueError(f"{k} found in {fn} but index maps it to {wm.get(k)}")
                weights[k] = v
        missing = set(wm) - set(weights)
        if missing:
            raise ValueError(f"tensors listed in index but absent: {sorted(missing)[:5]}")
    else:
        weights = load_safetensors(os.path.join(d, "model.safetensors"))
    return config, weights


# --------------------------------------------------------------------------
# small numerical helpers (float64)
# --------------------------------------------------------------------------
class _W:
    """Weight accessor: float64 view of the checkpoint with clear errors."""

    def __init__(self, weights):
        self.w = {k: v.to(DT) for k, v in weights.items()}

    def __call__(self, name):
        if name not in self.w:
            raise KeyError(f"checkpoint has no tensor {name!r}")
        return self.w[name]

    def has(self, name):
        return name in self.w

    def add_prefix_if_missing(self, prefix, keep=("lm_head.", "embed_out.")):
        """Some published checkpoints (e.g. gpt2, bloom) were saved from the base model
        and lack the `transformer.` prefix; HF adds it on load (base_model_prefix)."""
        if any(k.startswith(prefix) for k in self.w):
            return
        self.w = {(k if k.startswith(keep) else prefix + k): v for k, v in self.w.items()}


def _lin(x, W, name, bias):
    """nn.Linear: x @ W^T + b (bias used iff the HF module has one)."""
    y = x @ W(name + ".weight").t()
    if bias:
        y = y + W(name + ".bias")
    return y


def _conv1d(x, W, name):
    """GPT-2 Conv1D: weight stored [in, out]; y = x @ W + b."""
    return x @ W(name + ".weight") + W(name + ".bias")


def _rms(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def _ln(x, w, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = (x - mu).pow(2).mean(-1, keepdim=True)
    y = (x - mu) / torch.sqrt(var + eps) * w
    return y + b if b is not None else y


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _act(name):
    name = (name or "").lower()
    if name in ("silu", "swish"):
        return lambda x: x * torch.sigmoid(x)
    if name in ("gelu", "gelu_python"):
        return lambda x: 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"):
        return lambda x: 0.5 * x * (1.0 + torch.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x.pow(3))))
    if name == "quick_gelu":
        return lambda x: x * torch.sigmoid(1.702 * x)
    if name == "relu":
        return torch.relu
    raise NotImplementedError(f"activation {name!r}")


def _bloom_gelu(x):
    # modeling_bloom.bloom_gelu_forward (constant 0.79788456 as written there)
    return x * 0.5 * (1.0 + torch.tanh(0.79788456 * x * (1 + 0.044715 * x * x)))


def _model_dtype(cfg):
    name = cfg.get("torch_dtype", cfg.get("dtype")) or "float32"
    return {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16,
            "float64": torch.float64}.get(str(name).replace("torch.", ""), torch.float32)


# ---------------------------- RoPE ----------------------------------------
def _rope_settings(cfg, default_theta=10000.0, default_partial=1.0):
    """(theta, scaling dict or None, partial_rotary_factor) from either the v4 style
    (rope_theta / rope_scaling at top level) or the v5 style (rope_parameters)."""
    rp = cfg.get("rope_parameters") or {}
    if rp and not any(k in rp for k in ("rope_theta", "rope_type", "type", "factor", "partial_rotary_factor")):
        raise NotImplementedError("per-layer-type rope_parameters are not supported")
    theta = rp.get("rope_theta", cfg.get("rope_theta", default_theta))
    scaling = cfg.get("rope_scaling")
    if scaling is None and rp.get("rope_type", rp.get("type", "default")) != "default":
        scaling = rp
    partial = rp.get("partial_rotary_factor", cfg.get("partial_rotary_factor", default_partial))
    return float(theta), scaling, partial


def _inv_freq(dim, theta, scaling=None):
    """modeling_rope_utils: _compute_default_rope_parameters / _compute_linear_scaling_rope_parameters /
    _compute_llama3_parameters.  Returns (inv_freq[dim//2], attention_factor)."""
    inv = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).to(DT) / dim))
    if scaling is None:
        return inv, 1.0
    rtype = scaling.get("rope_type", scaling.get("type", "default"))
    if rtype == "default":
        return inv, 1.0
    if rtype == "linear":
        return inv / float(scaling["factor"]), 1.0
    if rtype == "llama3":
        factor = float(scaling["factor"])
        low = float(scaling["low_freq_factor"])
        high = float(scaling["high_freq_factor"])
        old = float(scaling["original_max_position_embeddings"])
        low_wl, high_wl = old / low, old / high
        wavelen = 2 * math.pi / inv
        inv_l = torch.where(wavelen > low_wl, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
        is_medium = (~(wavelen < high_wl)) & (~(wavelen > low_wl))
        return torch.where(is_medium, smoothed, inv_l), 1.0
    raise NotImplementedError(f"rope scaling type {rtype!r} is not supported by this reference")


def _cos_sin(inv, n, attention_factor=1.0):
    pos = torch.arange(n, dtype=DT)
    freqs = pos[:, None] * inv[None, :]
    emb = torch.cat([freqs, freqs], dim=-1)          # HF: cat((freqs, freqs)) -> pairs i, i+d/2
    return emb.cos() * attention_factor, emb.sin() * attention_factor


def _rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


def _rope(x, cos, sin):
    """x: [heads, n, d_rot]; rotates only the first cos.shape[-1] dims (partial rotary)."""
    r = cos.shape[-1]
    xr = x[..., :r] * cos + _rotate_half(x[..., :r]) * sin
    return torch.cat([xr, x[..., r:]], dim=-1) if r < x.shape[-1] else xr


# --------------------------- attention ------------------------------------
def _allowed(n, window=None):
    """masking_utils: causal `kv_idx <= q_idx`; sliding overlay `kv_idx > q_idx - window`
    (a query sees `window` keys including itself)."""
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    a = j <= i
    if window is not None:
        a = a & (j > i - window)
    return a


def _heads(x, h, d):
    """[n, h*d] -> [h, n, d]"""
    return x.reshape(x.shape[0], h, d).transpose(0, 1)


def _attend(q, k, v, scale, allowed, bias=None, softcap=None):
    """q [H,n,d], k [Hk,n,d], v [Hk,n,dv] -> [n, H*dv]. GQA: query head h uses kv head h // (H/Hk)."""
    H, n = q.shape[0], q.shape[1]
    if k.shape[0] != H:
        rep = H // k.shape[0]
        k = k.repeat_interleave(rep, dim=0)
        v = v.repeat_interleave(rep, dim=0)
    s = (q @ k.transpose(-1, -2)) * scale
    if softcap is not None:
        s = torch.tanh(s / softcap) * softcap
    if bias is not None:
        s = s + bias
    s = s.masked_fill(~allowed, float("-inf"))
    p = torch.softmax(s, dim=-1)
    o = p @ v
    return o.transpose(0, 1).reshape(n, H * v.shape[-1])


def _logits(cfg, W, h, embed_name, tie_default, head_name="lm_head.weight"):
    tied = cfg.get("tie_word_embeddings", tie_default)
    if tied is None:
        tied = tie_default
    wout = W(embed_name) if tied else W(head_name)
    return h @ wout.t()


# --------------------------------------------------------------------------
# RoPE decoder families sharing the Llama skeleton
# llama, mistral, qwen2, qwen3, gemma, gemma2, mixtral, olmo2, starcoder2
# --------------------------------------------------------------------------
_RMS_EPS_DEFAULT = {"llama": 1e-6, "mistral": 1e-6, "qwen2": 1e-6, "qwen3": 1e-6, "gemma": 1e-6,
                    "gemma2": 1e-6, "mixtral": 1e-5, "olmo2": 1e-5, "deepseek_v2": 1e-6}
_TIE_DEFAULT = {"llama": False, "mistral": False, "qwen2": False, "qwen3": False, "gemma": True,
                "gemma2": True, "mixtral": False, "olmo2": False, "starcoder2": True,
                "deepseek_v2": False, "gpt2": True, "gpt_neox": False, "phi": False,
                "falcon": True, "bloom": True, "mpt": True, "stablelm": False}


def _layer_windows(cfg, fam, L):
    if fam in ("mistral", "mixtral", "starcoder2"):
        # MistralConfig default sliding_window=4096; Mixtral/Starcoder2 default None; applies to every layer.
        sw = cfg.get("sliding_window", 4096 if fam == "mistral" else None)
        return [sw] * L
    if fam in ("qwen2", "qwen3"):
        # Qwen2Config.__post_init__: sliding_window only if use_sliding_window; sliding layers are
        # i >= max_window_layers unless layer_types is given explicitly.
        sw = cfg.get("sliding_window", 4096) if cfg.get("use_sliding_window", False) else None
        lt = cfg.get("layer_types") or [
            "sliding_attention" if sw is not None and i >= cfg.get("max_window_layers", 28) else "full_attention"
            for i in range(L)]
        return [sw if t == "sliding_attention" else None for t in lt]
    if fam == "gemma2":
        # Gemma2Config.__post_init__: "sliding_attention" if (i + 1) % 2 else "full_attention" -> even layers slide.
        sw = cfg.get("sliding_window", 4096)
        lt = cfg.get("layer_types") or ["sliding_attention" if (i + 1) % 2 else "full_attention" for i in range(L)]
        return [sw if t == "sliding_attention" else None for t in lt]
    return [None] * L


def _gemma_act(cfg, fam):
    if fam == "gemma2":
        return cfg.get("hidden_activation") or cfg.get("hidden_act") or "gelu_pytorch_tanh"
    # gemma: transformers 4.38-4.5x use `hidden_activation` (None -> gelu_pytorch_tanh, hidden_act ignored);
    # v5 (LlamaMLP) uses hidden_act (default gelu_pytorch_tanh).  Prefer hidden_activation when present.
    return cfg.get("hidden_activation") or cfg.get("hidden_act") or "gelu_pytorch_tanh"


def _rope_decoder(cfg, W, ids, fam):
    n = len(ids)
    D = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    Hk = cfg.get("num_key_value_heads") or H
    if fam in ("mistral", "mixtral") and "num_key_value_heads" not in cfg:
        Hk = 8  # MistralConfig / MixtralConfig default
    if fam == "gemma" and "num_key_value_heads" not in cfg:
        Hk = 16
    if fam == "gemma2" and "num_key_value_heads" not in cfg:
        Hk = 4
    if fam == "starcoder2" and "num_key_value_heads" not in cfg:
        Hk = 2
    hd = cfg.get("head_dim") or (256 if fam in ("gemma", "gemma2") else (128 if fam == "qwen3" else D // H))
    L = cfg["num_hidden_layers"]

    if fam in ("gemma", "gemma2"):
        norm_kind = "gemma"
    elif fam == "starcoder2":
        norm_kind = "ln"
    else:
        norm_kind = "rms"
    eps = cfg.get("norm_epsilon", 1e-5) if fam == "starcoder2" else cfg.get("rms_norm_eps", _RMS_EPS_DEFAULT[fam])

    def norm(x, name, size_eps=None):
        e = eps if size_eps is None else size_eps
        if norm_kind == "rms":
            return _rms(x, W(name + ".weight"), e)
        if norm_kind == "gemma":
            return _rms(x, 1.0 + W(name + ".weight"), e)
        return _ln(x, W(name + ".weight"), W(name + ".bias"), e)

    # biases (per HF module definitions)
    if fam == "llama":
        ab = bool(cfg.get("attention_bias", False))
        qb = kb = vb = ob = ab
        mb = bool(cfg.get("mlp_bias", False))
    elif fam == "qwen2":
        qb = kb = vb = True
        ob = False
        mb = False
    elif fam in ("qwen3", "olmo2", "gemma", "gemma2"):
        ab = bool(cfg.get("attention_bias", False))
        qb = kb = vb = ob = ab
        mb = False
    elif fam == "starcoder2":
        ub = bool(cfg.get("use_bias", True))
        qb = kb = vb = ob = mb = ub
    else:  # mistral, mixtral
        qb = kb = vb = ob = mb = False

    if fam == "gemma2":
        scale = float(cfg.get("query_pre_attn_scalar", 256)) ** -0.5
    else:
        scale = hd ** -0.5
    attn_cap = cfg.get("attn_logit_softcapping", 50.0) if fam == "gemma2" else None
    final_cap = cfg.get("final_logit_softcapping", 30.0) if fam == "gemma2" else None

    theta, scaling, partial = _rope_settings(cfg, 1e6 if fam == "mixtral" else 10000.0)
    if scaling is not None and fam != "llama":
        rtype = scaling.get("rope_type", scaling.get("type"))
        if rtype not in (None, "default", "linear", "llama3"):
            raise NotImplementedError(f"{fam}: rope scaling {rtype!r}")
    inv, af = _inv_freq(int(hd * partial), theta, scaling)
    cos, sin = _cos_sin(inv, n, af)

    if fam in ("gemma", "gemma2"):
        act = _act(_gemma_act(cfg, fam))
    else:
        act = _act(cfg.get("hidden_act", "gelu_pytorch_tanh" if fam == "starcoder2" else "silu"))

    windows = _layer_windows(cfg, fam, L)
    masks = {}

    x = W("model.embed_tokens.weight")[ids]
    if fam in ("gemma", "gemma2"):
        # GemmaTextScaledWordEmbedding: embed * embed_scale.to(weight.dtype), embed_scale = hidden_size**0.5
        normalizer = torch.tensor(D ** 0.5, dtype=_model_dtype(cfg)).to(DT)
        x = x * normalizer

    for i in range(L):
        p = f"model.layers.{i}."
        a = p + "self_attn."
        # ---- attention ----
        h = x if fam == "olmo2" else norm(x, p + "input_layernorm")
        q = _lin(h, W, a + "q_proj", qb)
        k = _lin(h, W, a + "k_proj", kb)
        v = _lin(h, W, a + "v_proj", vb)
        if fam == "olmo2":  # RMSNorm over the whole projection (all heads) before the head split
            q = _rms(q, W(a + "q_norm.weight"), eps)
            k = _rms(k, W(a + "k_norm.weight"), eps)
        q, k, v = _heads(q, H, hd), _heads(k, Hk, hd), _heads(v, Hk, hd)
        if fam == "qwen3":  # per-head RMSNorm(head_dim) before RoPE
            q = _rms(q, W(a + "q_norm.weight"), eps)
            k = _rms(k, W(a + "k_norm.weight"), eps)
        q, k = _rope(q, cos, sin), _rope(k, cos, sin)
        w = windows[i]
        if w not in masks:
            masks[w] = _allowed(n, w)
        o = _attend(q, k, v, scale, masks[w], softcap=attn_cap)
        o = _lin(o, W, a + "o_proj", ob)
        if fam in ("gemma2", "olmo2"):
            o = norm(o, p + "post_attention_layernorm")
        x = x + o
        # ---- MLP ----
        if fam == "gemma2":
            h = norm(x, p + "pre_feedforward_layernorm")
        elif fam == "olmo2":
            h = x
        else:
            h = norm(x, p + "post_attention_layernorm")
        if fam == "mixtral":
            m = _mixtral_moe(cfg, W, h, p + "block_sparse_moe.", act, i)
        elif fam == "starcoder2":
            m = _lin(act(_lin(h, W, p + "mlp.c_fc", mb)), W, p + "mlp.c_proj", mb)
        else:
            m = _glu(W, h, p + "mlp.", act, mb)
        if fam in ("gemma2", "olmo2"):
            m = norm(m, p + "post_feedforward_layernorm")
        x = x + m

    x = norm(x, "model.norm")
    logits = _logits(cfg, W, x, "model.embed_tokens.weight", _TIE_DEFAULT[fam])
    if final_cap is not None:
        logits = torch.tanh(logits / final_cap) * final_cap
    return logits


def _glu(W, h, p, act, bias=False):
    return _lin(act(_lin(h, W, p + "gate_proj", bias)) * _lin(h, W, p + "up_proj", bias), W, p + "down_proj", bias)


def _record_router_margin(layer, probs, k):
    srt = probs.sort(dim=-1, descending=True).values
    if srt.shape[-1] > k:
        gap = (srt[:, k - 1] - srt[:, k]).min().item()
        DIAG.append(("router_margin", layer, gap))


def _mixtral_moe(cfg, W, h, p, act, layer):
    """MixtralSparseMoeBlock: softmax over ALL experts, top-k, renormalise the k weights."""
    E = cfg.get("num_local_experts", 8)
    k = cfg.get("num_experts_per_tok", 2)
    probs = torch.softmax(h @ W(p + "gate.weight").t(), dim=-1)
    _record_router_margin(layer, probs, k)
    topv, topi = probs.topk(k, dim=-1)
    topv = topv / topv.sum(-1, keepdim=True)
    comb = torch.zeros_like(probs).scatter(1, topi, topv)          # [n, E]
    out = torch.zeros_like(h)
    for e in range(E):
        ep = f"{p}experts.{e}."
        y = _lin(act(_lin(h, W, ep + "w1", False)) * _lin(h, W, ep + "w3", False), W, ep + "w2", False)
        out = out + comb[:, e:e + 1] * y
    return out


# --------------------------------------------------------------------------
# DeepSeek-V2 (MLA + DeepSeekMoE)
# --------------------------------------------------------------------------
def _deinterleave(x):
    """[..., d] with pairs (x0,x1),(x2,x3).. -> [x0,x2,..., x1,x3,...] (DeepSeek's q/k rope layout)."""
    d = x.shape[-1]
    return x.reshape(*x.shape[:-1], d // 2, 2).transpose(-1, -2).reshape(*x.shape[:-1], d)


def _deepseek_v2(cfg, W, ids):
    n = len(ids)
    H = cfg["num_attention_heads"]
    Hk = cfg.get("num_key_value_heads") or H
    if Hk != H:
        raise NotImplementedError("deepseek_v2 with num_key_value_heads != num_attention_heads (HF repeat_kv would break)")
    L = cfg["num_hidden_layers"]
    eps = cfg.get("rms_norm_eps", 1e-6)
    q_lora = cfg.get("q_lora_rank", 1536)
    kv_lora = cfg.get("kv_lora_rank", 512)
    nope = cfg.get("qk_nope_head_dim", 128)
    rope_d = cfg.get("qk_rope_head_dim", 64)
    vd = cfg.get("v_head_dim", 128)
    qk_hd = nope + rope_d
    ab = bool(cfg.get("attention_bias", False))
    mb = bool(cfg.get("mlp_bias", False))
    act = _act(cfg.get("hidden_act", "silu"))
    first_dense = cfg.get("first_k_dense_replace", 0)
    if cfg.get("moe_layer_freq", 1) != 1:
        raise NotImplementedError("moe_layer_freq != 1: HF DeepseekV2 ignores it (MoE iff layer >= first_k_dense_replace) "
                                  "while the original remote code uses it; refusing to pick one")
    if cfg.get("topk_method", "greedy") != "greedy":
        raise NotImplementedError(f"topk_method {cfg.get('topk_method')!r} (only 'greedy' is supported)")
    if cfg.get("scoring_func", "softmax") != "softmax":
        raise NotImplementedError("scoring_func other than softmax")
    if cfg.get("norm_topk_prob", False):
        _warn("deepseek_v2 norm_topk_prob=true is IGNORED by HF DeepseekV2Moe.route_tokens_to_experts; following HF")
    theta, scaling, _ = _rope_settings(cfg, 10000.0)
    if scaling is not None and scaling.get("rope_type", scaling.get("type", "default")) != "default":
        raise NotImplementedError("deepseek_v2 rope_scaling (yarn) is not supported; use configs without rope_scaling")
    inv, af = _inv_freq(rope_d, theta)       # DeepseekV2Config sets head_dim = qk_rope_head_dim for RoPE
    cos, sin = _cos_sin(inv, n, af)
    scale = qk_hd ** -0.5                     # softmax scale uses the full q head dim (nope + rope)
    allowed = _allowed(n)

    x = W("model.embed_tokens.weight")[ids]
    for i in range(L):
        p = f"model.layers.{i}."
        a = p + "self_attn."
        h = _rms(x, W(p + "input_layernorm.weight"), eps)
        if q_lora is None:
            q = _lin(h, W, a + "q_proj", False)
        else:
            # q_a_layernorm / kv_a_layernorm are DeepseekV2RMSNorm(dim) with the DEFAULT eps=1e-6
            q = _lin(_rms(_lin(h, W, a + "q_a_proj", ab), W(a + "q_a_layernorm.weight"), 1e-6), W, a + "q_b_proj", False)
        q = _heads(q, H, qk_hd)
        q_nope, q_pe = q[..., :nope], q[..., nope:]
        ckv = _lin(h, W, a + "kv_a_proj_with_mqa", ab)
        c, k_pe = ckv[:, :kv_lora], ckv[:, kv_lora:]
        kv = _lin(_rms(c, W(a + "kv_a_layernorm.weight"), 1e-6), W, a + "kv_b_proj", False)
        kv = _heads(kv, H, nope + vd)
        k_nope, v = kv[..., :nope], kv[..., nope:]
        k_pe = k_pe[None]                                   # [1, n, rope] shared by all heads
        # HF: complex multiply on adjacent pairs == de-interleave then rotate_half (same q.k up to a permutation)
        q_pe = _rope(_deinterleave(q_pe), cos, sin)
        k_pe = _rope(_deinterleave(k_pe), cos, sin)
        qs = torch.cat([q_nope, q_pe], dim=-1)
        ks = torch.cat([k_nope, k_pe.expand(H, n, rope_d)], dim=-1)
        o = _attend(qs, ks, v, scale, allowed)
        x = x + _lin(o, W, a + "o_proj", ab)

        h = _rms(x, W(p + "post_attention_layernorm.weight"), eps)
        if i >= first_dense:
            m = _deepseek_moe(cfg, W, h, p + "mlp.", act, mb, i)
        else:
            m = _glu(W, h, p + "mlp.", act, mb)
        x = x + m
    x = _rms(x, W("model.norm.weight"), eps)
    return _logits(cfg, W, x, "model.embed_tokens.weight", _TIE_DEFAULT["deepseek_v2"])


def _deepseek_moe(cfg, W, h, p, act, mb, layer):
    """DeepseekV2Moe: softmax (fp32 in HF) over experts, greedy top-k, weights * routed_scaling_factor
    (no renormalisation in HF), plus shared experts on every token."""
    E = cfg.get("n_routed_experts", 64)
    k = cfg.get("num_experts_per_tok")
    if k is None:
        raise ValueError("deepseek_v2 needs num_experts_per_tok")
    rsf = float(cfg.get("routed_scaling_factor", 1.0))
    probs = torch.softmax(h @ W(p + "gate.weight").t(), dim=-1)
    _record_router_margin(layer, probs, k)
    topv, topi = probs.topk(k, dim=-1)
    topv = topv * rsf
    comb = torch.zeros_like(probs).scatter(1, topi, topv)
    out = torch.zeros_like(h)
    for e in range(E):
        out = out + comb[:, e:e + 1] * _glu(W, h, f"{p}experts.{e}.", act, mb)
    if cfg.get("n_shared_experts", 2) is None:
        raise NotImplementedError("n_shared_experts=None: HF DeepseekV2Moe.forward always adds shared_experts")
    return out + _glu(W, h, p + "shared_experts.", act, mb)


# --------------------------------------------------------------------------
# GPT-2
# --------------------------------------------------------------------------
def _gpt2(cfg, W, ids):
    W.add_prefix_if_missing("transformer.")
    n = len(ids)
    D = cfg.get("n_embd", cfg.get("hidden_size", 768))
    H = cfg.get("n_head", cfg.get("num_attention_heads", 12))
    L = cfg.get("n_layer", cfg.get("num_hidden_layers", 12))
    hd = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    act = _act(cfg.get("activation_function", "gelu_new"))
    allowed = _allowed(n)
    x = W("transformer.wte.weight")[ids] + W("transformer.wpe.weight")[torch.arange(n)]
    for i in range(L):
        p = f"transformer.h.{i}."
        h = _ln(x, W(p + "ln_1.weight"), W(p + "ln_1.bias"), eps)
        qkv = _conv1d(h, W, p + "attn.c_attn")                 # [n, 3D] = q | k | v (not interleaved)
        q, k, v = (_heads(t, H, hd) for t in qkv.split(D, dim=-1))
        scale = (1.0 / math.sqrt(hd)) if cfg.get("scale_attn_weights", True) else 1.0
        if cfg.get("scale_attn_by_inverse_layer_idx", False):
            scale /= float(i + 1)
        o = _attend(q, k, v, scale, allowed)
        x = x + _conv1d(o, W, p + "attn.c_proj")
        h = _ln(x, W(p + "ln_2.weight"), W(p + "ln_2.bias"), eps)
        x = x + _conv1d(act(_conv1d(h, W, p + "mlp.c_fc")), W, p + "mlp.c_proj")   # n_inner default 4*n_embd
    x = _ln(x, W("transformer.ln_f.weight"), W("transformer.ln_f.bias"), eps)
    return _logits(cfg, W, x, "transformer.wte.weight", True)


# --------------------------------------------------------------------------
# GPT-NeoX
# --------------------------------------------------------------------------
def _gpt_neox(cfg, W, ids):
    n = len(ids)
    D = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    L = cfg["num_hidden_layers"]
    hd = D // H
    eps = cfg.get("layer_norm_eps", 1e-5)
    act = _act(cfg.get("hidden_act", "gelu"))
    bias = bool(cfg.get("attention_bias", True))
    rp = cfg.get("rope_parameters") or {}
    theta = float(rp.get("rope_theta", cfg.get("rotary_emb_base", cfg.get("rope_theta", 10000.0))))
    pct = rp.get("partial_rotary_factor", cfg.get("rotary_pct", 0.25))
    scaling = cfg.get("rope_scaling")
    rot = int(hd * pct)
    inv, af = _inv_freq(rot, theta, scaling)
    cos, sin = _cos_sin(inv, n, af)
    allowed = _allowed(n)
    parallel = cfg.get("use_parallel_residual", True)
    x = W("gpt_neox.embed_in.weight")[ids]
    for i in range(L):
        p = f"gpt_neox.layers.{i}."
        h = _ln(x, W(p + "input_layernorm.weight"), W(p + "input_layernorm.bias"), eps)
        qkv = _lin(h, W, p + "attention.query_key_value", bias).reshape(n, H, 3 * hd).transpose(0, 1)
        q, k, v = qkv[..., :hd], qkv[..., hd:2 * hd], qkv[..., 2 * hd:]   # interleaved per head
        q, k = _rope(q, cos, sin), _rope(k, cos, sin)
        o = _lin(_attend(q, k, v, hd ** -0.5, allowed), W, p + "attention.dense", bias)

        def mlp(t):
            t = _ln(t, W(p + "post_attention_layernorm.weight"), W(p + "post_attention_layernorm.bias"), eps)
            return _lin(act(_lin(t, W, p + "mlp.dense_h_to_4h", True)), W, p + "mlp.dense_4h_to_h", True)

        if parallel:
            x = x + o + mlp(x)
        else:
            x = x + o
            x = x + mlp(x)
    x = _ln(x, W("gpt_neox.final_layer_norm.weight"), W("gpt_neox.final_layer_norm.bias"), eps)
    return _logits(cfg, W, x, "gpt_neox.embed_in.weight", False, head_name="embed_out.weight")


# --------------------------------------------------------------------------
# Phi (phi-1 / phi-1.5 / phi-2)
# --------------------------------------------------------------------------
def _phi(cfg, W, ids):
    n = len(ids)
    D = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    Hk = cfg.get("num_key_value_heads") or H
    L = cfg["num_hidden_layers"]
    hd = D // H
    eps = cfg.get("layer_norm_eps", 1e-5)
    act = _act(cfg.get("hidden_act", "gelu_new"))
    theta, scaling, partial = _rope_settings(cfg, 10000.0, 0.5)
    rot = int(hd * partial)
    inv, af = _inv_freq(rot, theta, scaling)
    cos, sin = _cos_sin(inv, n, af)
    allowed = _allowed(n)
    qk_ln = cfg.get("qk_layernorm", False)
    x = W("model.embed_tokens.weight")[ids]
    for i in range(L):
        p = f"model.layers.{i}."
        a = p + "self_attn."
        h = _ln(x, W(p + "input_layernorm.weight"), W(p + "input_layernorm.bias"), eps)   # ONE shared norm
        q = _heads(_lin(h, W, a + "q_proj", True), H, hd)
        k = _heads(_lin(h, W, a + "k_proj", True), Hk, hd)
        v = _heads(_lin(h, W, a + "v_proj", True), Hk, hd)
        if qk_ln:
            q = _ln(q, W(a + "q_layernorm.weight"), W(a + "q_layernorm.bias"), eps)
            k = _ln(k, W(a + "k_layernorm.weight"), W(a + "k_layernorm.bias"), eps)
        q, k = _rope(q, cos, sin), _rope(k, cos, sin)        # rotates only the first int(hd*factor) dims
        o = _lin(_attend(q, k, v, hd ** -0.5, allowed), W, a + "dense", True)
        m = _lin(act(_lin(h, W, p + "mlp.fc1", True)), W, p + "mlp.fc2", True)
        x = x + o + m                                         # parallel block
    x = _ln(x, W("model.final_layernorm.weight"), W("model.final_layernorm.bias"), eps)
    return _logits(cfg, W, x, "model.embed_tokens.weight", False) + W("lm_head.bias")


# --------------------------------------------------------------------------
# StableLM (stablelm-3b-4e1t, stablelm-2-*)
# --------------------------------------------------------------------------
def _stablelm(cfg, W, ids):
    """models/stablelm/modeling_stablelm.py + configuration_stablelm.py.

    StableLmDecoderLayer: nn.LayerNorm (with bias, layer_norm_eps) `input_layernorm`; serial:
    x += attn(ln1(x)); x += mlp(post_attention_layernorm(x)); use_parallel_residual: no
    post_attention_layernorm, x += attn(ln1(x)) + mlp(ln1(x)).  StableLmAttention: q/k/v bias =
    use_qkv_bias, o_proj never has one; head_dim = hidden // heads; qk_layernorm = per-head
    nn.LayerNorm(head_dim, bias=False), one per head (StableLmLayerNormPerHead), before RoPE;
    partial rotary: the first int(head_dim * partial_rotary_factor) dims of each head rotated with
    rotate_half, inv_freq over those dims (default rope init); scale 1/sqrt(head_dim); repeat_kv.
    StableLmMLP: down(act(gate(x)) * up(x)), no bias.  StableLmModel.norm: LayerNorm with bias.
    StableLmForCausalLM.lm_head: no bias, tied iff tie_word_embeddings (default False)."""
    n = len(ids)
    D = cfg.get("hidden_size", 2560)
    H = cfg.get("num_attention_heads", 32)
    Hk = cfg.get("num_key_value_heads", 32)        # StableLmConfig default 32, not num_attention_heads
    L = cfg.get("num_hidden_layers", 32)
    if D % H:
        raise ValueError("stablelm: hidden_size must be divisible by num_attention_heads")
    hd = D // H                                    # StableLmAttention ignores any head_dim key
    eps = cfg.get("layer_norm_eps", 1e-5)
    act = _act(cfg.get("hidden_act", "silu"))
    qkv_bias = bool(cfg.get("use_qkv_bias", False))
    parallel = bool(cfg.get("use_parallel_residual", False))
    qk_ln = bool(cfg.get("qk_layernorm", False))
    theta, scaling, partial = _rope_settings(cfg, 10000.0, 0.25)
    rot = int(hd * partial)
    if rot % 2:
        raise ValueError(f"stablelm: rotary dims int({hd} * {partial}) = {rot} is odd (rotate_half needs even)")
    inv, af = _inv_freq(rot, theta, scaling)
    cos, sin = _cos_sin(inv, n, af)
    allowed = _allowed(n)

    def per_head_ln(t, name, heads):   # t [heads, n, hd]; norms.{h}: LayerNorm without bias
        return torch.stack([_ln(t[j], W(f"{name}.norms.{j}.weight"), None, eps) for j in range(heads)])

    x = W("model.embed_tokens.weight")[ids]
    for i in range(L):
        p = f"model.layers.{i}."
        a = p + "self_attn."
        h = _ln(x, W(p + "input_layernorm.weight"), W(p + "input_layernorm.bias"), eps)
        q = _heads(_lin(h, W, a + "q_proj", qkv_bias), H, hd)
        k = _heads(_lin(h, W, a + "k_proj", qkv_bias), Hk, hd)
        v = _heads(_lin(h, W, a + "v_proj", qkv_bias), Hk, hd)
        if qk_ln:
            q = per_head_ln(q, a + "q_layernorm", H)
            k = per_head_ln(k, a + "k_layernorm", Hk)
        q, k = _rope(q, cos, sin), _rope(k, cos, sin)          # first `rot` dims only
        o = _lin(_attend(q, k, v, hd ** -0.5, allowed), W, a + "o_proj", False)

        def mlp(t):
            return _lin(act(_lin(t, W, p + "mlp.gate_proj", False)) * _lin(t, W, p + "mlp.up_proj", False),
                        W, p + "mlp.down_proj", False)
        if parallel:
            x = x + o + mlp(h)                                  # the one input_layernorm feeds both
        else:
            x = x + o
            x = x + mlp(_ln(x, W(p + "post_attention_layernorm.weight"),
                            W(p + "post_attention_layernorm.bias"), eps))
    x = _ln(x, W("model.norm.weight"), W("model.norm.bias"), eps)
    return _logits(cfg, W, x, "model.embed_tokens.weight", False)


# --------------------------------------------------------------------------
# Falcon
# --------------------------------------------------------------------------
def _alibi_slopes_bloom(nh):
    """modeling_bloom/modeling_falcon build_alibi_tensor slopes (float32 in HF)."""
    cp2 = 2 ** math.floor(math.log2(nh))
    base = torch.tensor(2 ** (-(2 ** -(math.log2(cp2) - 3))), dtype=torch.float32)
    slopes = torch.pow(base, torch.arange(1, 1 + cp2, dtype=torch.int32))
    if cp2 != nh:
        extra_base = torch.tensor(2 ** (-(2 ** -(math.log2(2 * cp2) - 3))), dtype=torch.float32)
        rem = min(cp2, nh - cp2)
        slopes = torch.cat([slopes, torch.pow(extra_base, torch.arange(1, 1 + 2 * rem, 2, dtype=torch.int32))])
    return slopes


def _falcon(cfg, W, ids):
    W.add_prefix_if_missing("transformer.")
    n = len(ids)
    D = cfg.get("hidden_size", cfg.get("n_embed", 4544))
    H = cfg.get("num_attention_heads", cfg.get("n_head", 71))
    L = cfg.get("num_hidden_layers", cfg.get("n_layer", 32))
    Hkv_cfg = cfg.get("num_kv_heads", cfg.get("n_head_kv")) or H
    hd = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    new = cfg.get("new_decoder_architecture", False)
    mq = cfg.get("multi_query", True)
    par = cfg.get("parallel_attn", True)
    bias = bool(cfg.get("bias", False))
    alibi = cfg.get("alibi", False)
    ffn = cfg.get("ffn_hidden_size") or 4 * D
    act = _act(cfg.get("activation", "gelu"))
    num_ln = cfg.get("num_ln_in_parallel_attn")
    if num_ln is None and new:
        num_ln = 2
    if new and not par:
        raise NotImplementedError("falcon new_decoder_architecture with parallel_attn=false crashes in HF")
    if not new and not mq and Hkv_cfg != H:
        raise NotImplementedError("falcon old architecture without multi_query needs num_kv_heads == heads")
    allowed = _allowed(n)
    if not alibi:
        theta, scaling, _ = _rope_settings(cfg, 10000.0)
        inv, af = _inv_freq(hd, theta, scaling)
        cos, sin = _cos_sin(inv, n, af)
    else:
        # modeling_falcon.build_alibi_tensor: slopes cast to bfloat16, product stays bfloat16
        sl = _alibi_slopes_bloom(H).bfloat16()
        ab = (sl[:, None] * torch.arange(n)[None, :]).to(_model_dtype(cfg)).to(DT)   # [H, n_keys]
        ab = ab[:, None, :]
    x = W("transformer.word_embeddings.weight")[ids]
    for i in range(L):
        p = f"transformer.h.{i}."
        if new and num_ln == 2:
            attn_in = _ln(x, W(p + "ln_attn.weight"), W(p + "ln_attn.bias"), eps)
            mlp_in = _ln(x, W(p + "ln_mlp.weight"), W(p + "ln_mlp.bias"), eps)
        else:
            attn_in = _ln(x, W(p + "input_layernorm.weight"), W(p + "input_layernorm.bias"), eps)
        fused = _lin(attn_in, W, p + "self_attention.query_key_value", bias)
        if new:   # per kv-group: [q_0..q_{g-1}, k, v]
            g = H // Hkv_cfg
            t = fused.reshape(n, Hkv_cfg, g + 2, hd)
            q = t[:, :, :g].reshape(n, H, hd).transpose(0, 1)
            k = t[:, :, g].transpose(0, 1)
            v = t[:, :, g + 1].transpose(0, 1)
        elif not mq:  # per head: [q, k, v]
            t = fused.reshape(n, H, 3, hd)
            q, k, v = (t[:, :, j].transpose(0, 1) for j in range(3))
        else:         # all q heads, then one k, then one v
            t = fused.reshape(n, H + 2, hd)
            q = t[:, :H].transpose(0, 1)
            k = t[:, H:H + 1].transpose(0, 1)
            v = t[:, H + 1:H + 2].transpose(0, 1)
        if not alibi:
            q, k = _rope(q, cos, sin), _rope(k, cos, sin)
            o = _attend(q, k, v, hd ** -0.5, allowed)
        else:
            # (q.k + alibi) * inv_norm_factor: the alibi is scaled too
            kk = k.expand(H, n, hd) if k.shape[0] == 1 else k.repeat_interleave(H // k.shape[0], 0)
            vv = v.expand(H, n, hd) if v.shape[0] == 1 else v.repeat_interleave(H // v.shape[0], 0)
            s = ((q @ kk.transpose(-1, -2)) + ab) * (hd ** -0.5)
            s = s.masked_fill(~allowed, float("-inf"))
            o = (torch.softmax(s, -1) @ vv).transpose(0, 1).reshape(n, D)
        o = _lin(o, W, p + "self_attention.dense", bias)
        residual = x
        if not new:
            if par:
                mlp_in = attn_in
            else:
                residual = x + o
                mlp_in = _ln(residual, W(p + "post_attention_layernorm.weight"),
                             W(p + "post_attention_layernorm.bias"), eps)
        if new and par and num_ln == 1:
            mlp_in = attn_in
        m = _lin(act(_lin(mlp_in, W, p + "mlp.dense_h_to_4h", bias)), W, p + "mlp.dense_4h_to_h", bias)
        if new or par:
            m = m + o
        x = residual + m
    x = _ln(x, W("transformer.ln_f.weight"), W("transformer.ln_f.bias"), eps)
    assert ffn  # (ffn only matters through weight shapes)
    return _logits(cfg, W, x, "transformer.word_embeddings.weight", True)


# --------------------------------------------------------------------------
# BLOOM
# --------------------------------------------------------------------------
def _bloom(cfg, W, ids):
    W.add_prefix_if_missing("transformer.")
    n = len(ids)
    D = cfg.get("hidden_size", cfg.get("n_embed", 64))
    H = cfg.get("n_head", cfg.get("num_attention_heads", 8))
    L = cfg.get("n_layer", cfg.get("num_hidden_layers", 2))
    hd = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    post_ln_res = cfg.get("apply_residual_connection_post_layernorm", False)
    # alibi[h, j] = slope_h * j (key position), cast to the model dtype; softmax is shift-invariant per row
    ab = (_alibi_slopes_bloom(H)[:, None] * torch.arange(n, dtype=torch.float32)[None, :])
    ab = ab.to(_model_dtype(cfg)).to(DT)[:, None, :]
    allowed = _allowed(n)
    x = W("transformer.word_embeddings.weight")[ids]
    x = _ln(x, W("transformer.word_embeddings_layernorm.weight"), W("transformer.word_embeddings_layernorm.bias"), eps)
    for i in range(L):
        p = f"transformer.h.{i}."
        h = _ln(x, W(p + "input_layernorm.weight"), W(p + "input_layernorm.bias"), eps)
        res = h if post_ln_res else x
        t = _lin(h, W, p + "self_attention.query_key_value", True).reshape(n, H, 3, hd)   # fused per head
        q, k, v = (t[:, :, j].transpose(0, 1) for j in range(3))
        o = _attend(q, k, v, 1.0 / math.sqrt(hd), allowed, bias=ab)
        x = _lin(o, W, p + "self_attention.dense", True) + res
        h = _ln(x, W(p + "post_attention_layernorm.weight"), W(p + "post_attention_layernorm.bias"), eps)
        res = h if post_ln_res else x
        x = _lin(_bloom_gelu(_lin(h, W, p + "mlp.dense_h_to_4h", True)), W, p + "mlp.dense_4h_to_h", True) + res
    x = _ln(x, W("transformer.ln_f.weight"), W("transformer.ln_f.bias"), eps)
    return _logits(cfg, W, x, "transformer.word_embeddings.weight", True)


# --------------------------------------------------------------------------
# MPT (HF port semantics, which differ from MosaicML's remote code in places)
# --------------------------------------------------------------------------
def _mpt_slopes(nh, alibi_bias_max=8):
    """modeling_mpt.build_mpt_alibi_tensor slopes."""
    n2 = 2 ** math.ceil(math.log2(nh))
    base = torch.arange(1, n2 + 1, dtype=torch.int64).float() * (alibi_bias_max / n2)
    slopes = 1.0 / torch.pow(2, base)
    if n2 != nh:
        slopes = torch.cat([slopes[1::2], slopes[::2]])[:nh]
    return slopes


def _mpt(cfg, W, ids):
    W.add_prefix_if_missing("transformer.")
    n = len(ids)
    D = cfg.get("d_model", cfg.get("hidden_size", 2048))
    H = cfg.get("n_heads", cfg.get("num_attention_heads", 16))
    L = cfg.get("n_layers", cfg.get("num_hidden_layers", 24))
    hd = D // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    ac = dict(cfg.get("attn_config") or {})
    if cfg.get("expansion_ratio", 4) != 4:
        raise NotImplementedError("HF MptMLP hard-codes 4*hidden_size; expansion_ratio != 4 cannot be loaded by HF")
    if not cfg.get("no_bias", True):
        _warn("mpt no_bias=false: HF MPT has no bias parameters (checkpoint biases are ignored); following HF")
    if not ac.get("alibi", True):
        _warn("mpt attn_config.alibi=false: HF MptModel always applies ALiBi; following HF")
    if ac.get("qk_ln", False):
        _warn("mpt attn_config.qk_ln=true is ignored by HF MptAttention; following HF")
    if ac.get("alibi_bias_max", 8) != 8:
        _warn("mpt alibi_bias_max != 8 is ignored by HF (build_mpt_alibi_tensor called with the default 8)")
    max_seq = cfg.get("max_seq_len", 2048)
    if n > max_seq:
        raise ValueError("prompt longer than max_seq_len (HF alibi tensor is built for max_seq_len)")
    sm = ac.get("softmax_scale")
    scale = sm if sm is not None else 1.0 / math.sqrt(D / H)
    clip = ac.get("clip_qkv")
    slopes = _mpt_slopes(H, 8).to(DT)
    ab = (slopes[:, None] * torch.arange(1 - n, 1, dtype=DT)[None, :])[:, None, :]   # last n of the max_seq_len bias
    allowed = _allowed(n)
    x = W("transformer.wte.weight")[ids]
    for i in range(L):
        p = f"transformer.blocks.{i}."
        h = _ln(x, W(p + "norm_1.weight"), None, eps)          # LayerNorm without bias
        qkv = h @ W(p + "attn.Wqkv.weight").t()
        if clip:
            qkv = qkv.clamp(min=-clip, max=clip)
        q, k, v = (_heads(t, H, hd) for t in qkv.chunk(3, dim=-1))   # q | k | v concatenated
        o = _attend(q, k, v, scale, allowed, bias=ab)
        x = x + o @ W(p + "attn.out_proj.weight").t()
        h = _ln(x, W(p + "norm_2.weight"), None, eps)
        m = _act("gelu")(h @ W(p + "ffn.up_proj.weight").t()) @ W(p + "ffn.down_proj.weight").t()
        x = x + m
    x = _ln(x, W("transformer.norm_f.weight"), None, eps)
    return _logits(cfg, W, x, "transformer.wte.weight", True)


# --------------------------------------------------------------------------
# `base_model_prefix` of each family's *PreTrainedModel (modeling_<family>.py), with its "."; a
# checkpoint saved from the base model (GPT2Model, BloomModel, LlamaModel, ...) stores every name
# without it, and from_pretrained adds it back.
BASE_MODEL_PREFIX = {"llama": "model.", "mistral": "model.", "qwen2": "model.", "qwen3": "model.",
                     "gemma": "model.", "gemma2": "model.", "mixtral": "model.", "olmo2": "model.",
                     "starcoder2": "model.", "deepseek_v2": "model.", "phi": "model.", "stablelm": "model.",
                     "gpt2": "transformer.", "falcon": "transformer.", "bloom": "transformer.",
                     "mpt": "transformer.", "gpt_neox": "gpt_neox."}
# The LM head of each family: outside the base model, so never prefixed.
HEAD_NAMES = ("lm_head.", "embed_out.")


def forward(config, weights, token_ids):
    """Logits [n, vocab] (float64) for every prompt position (causal, no cache)."""
    DIAG.clear()
    fam = config.get("model_type")
    ids = torch.as_tensor(list(token_ids), dtype=torch.long)
    W = _W(weights)
    if fam in BASE_MODEL_PREFIX:
        W.add_prefix_if_missing(BASE_MODEL_PREFIX[fam], keep=HEAD_NAMES)
    with torch.no_grad():
        if fam in ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "mixtral", "olmo2", "starcoder2"):
            return _rope_decoder(config, W, ids, fam)
        if fam == "deepseek_v2":
            return _deepseek_v2(config, W, ids)
        if fam == "gpt2":
            return _gpt2(config, W, ids)
        if fam == "gpt_neox":
            return _gpt_neox(config, W, ids)
        if fam == "phi":
            return _phi(config, W, ids)
        if fam == "stablelm":
            return _stablelm(config, W, ids)
        if fam == "falcon":
            return _falcon(config, W, ids)
        if fam == "bloom":
            return _bloom(config, W, ids)
        if fam == "mpt":
            return _mpt(config, W, ids)
    raise NotImplementedError(f"model_type {fam!r} not supported (supported: {', '.join(FAMILIES)})")


if __name__ == "__main__":
    # python3 hf_models.py CHECKPOINT_DIR [ids...]: print logits summary
    d = sys.argv[1]
    cfg, w = load_checkpoint(d)
    if len(sys.argv) > 2:
        toks = [int(t) for t in sys.argv[2:]]
    else:
        with open(os.path.join(d, "tokens.txt")) as f:
            toks = [int(t) for t in f.read().strip().split(",")]
    lg = forward(cfg, w, toks)
    print(f"{cfg['model_type']}: logits {tuple(lg.shape)} max|.|={lg.abs().max().item():.4f} "
          f"argmax(last)={int(lg[-1].argmax())}")
