"""Independent float64 reference for tfc model cards.

Written from docs/model-card.md (the card schema, its per-layer patterns and its
weight-naming scheme) and the design's table of architectural choices, not from
tfc's importer.  Where the document leaves a choice open, the reading taken here
is marked `AMBIGUITY:` (see README.md, "Model cards").

Public API
    is_card(config) -> bool
    resolve(card) -> dict with the top-level settings and `layers`: one fully
                     defaulted block dict per layer (the pattern applied)
    weight_spec(card) -> [(name, shape, kind)]   every tensor the card implies
    forward(card, weights, token_ids) -> Tensor[n, vocab] (float64)

Helpers (norms, activations, RoPE tables, masks, attention, router margins,
safetensors) come from hf_models.py.
"""

import copy
import math

import torch

import hf_models
from hf_models import DT, _W, _act, _allowed, _attend, _cos_sin, _heads, _inv_freq, _ln, _rms

FORMAT = "tfc-model-card"

_ACT = {"relu": "relu", "gelu": "gelu", "gelu_tanh": "gelu_pytorch_tanh", "silu": "silu"}
_PLACEMENTS = ("pre", "post", "sandwich", "deep_norm", "post_sublayer")


def is_card(cfg):
    return isinstance(cfg, dict) and cfg.get("format") == FORMAT


# --------------------------------------------------------------------------
# resolving a card: defaults, norm objects, the layer pattern
# --------------------------------------------------------------------------
def _merge(base, over):
    """An entry applies onto a copy of `block`: nested objects change only the fields they
    name, `null` removes an optional setting."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _position_obj(p):
    return {"kind": p} if isinstance(p, str) else dict(p)


def _merge_position(base, over):
    # AMBIGUITY: how an entry's `position` applies to the block's.  The string form is "the kind
    # with its defaults", so it replaces the block's object; an object with the same kind (or no
    # kind) changes only the fields it names; an object of another kind replaces it.
    if over is None:
        return None
    o = _position_obj(over)
    if isinstance(over, str):
        return o
    b = _position_obj(base if base is not None else "rope")
    if "kind" not in o or o["kind"] == b.get("kind", "rope"):
        return _merge(b, o)
    return o


def _norm_obj(obj, base=None):
    """A norm object with every field: kind, eps, weight_offset (0.0 = none), bias."""
    n = dict(base) if base is not None else {"kind": "rms_norm", "eps": 1e-5}
    n.update(obj or {})
    kind = n.get("kind", "rms_norm")
    if kind not in ("rms_norm", "layer_norm"):
        raise ValueError(f"norm kind {kind!r}")
    bias = bool(n.get("bias", False))
    if bias and kind != "layer_norm":
        raise ValueError("a norm bias needs kind layer_norm")
    return {"kind": kind, "eps": float(n.get("eps", 1e-5)),
            "weight_offset": float(n.get("weight_offset") or 0.0), "bias": bias}


def _resolve_block(b, D, where):
    """Fill every default of one layer's block (docs/model-card.md, `block`)."""
    r = {}
    r["norm"] = _norm_obj(b.get("norm"))
    r["placement"] = b.get("placement", "pre")
    if r["placement"] not in _PLACEMENTS:
        raise ValueError(f"{where}.placement {r['placement']!r}")
    if r["placement"] == "deep_norm":
        if b.get("deepnorm_alpha") is None:
            raise ValueError(f"{where}.deepnorm_alpha is required with deep_norm")
        r["deepnorm_alpha"] = float(b["deepnorm_alpha"])
    elif b.get("deepnorm_alpha") is not None:
        raise ValueError(f"{where}.deepnorm_alpha is only used with placement deep_norm")
    r["shape"] = b.get("shape", "serial")
    if r["shape"] == "parallel" and r["placement"] != "pre":
        raise ValueError(f"{where}.shape: parallel needs placement pre")
    r["shared_norm"] = bool(b.get("shared_norm", False)) and r["shape"] == "parallel"

    pos = _position_obj(b.get("position", "rope"))
    kind = pos.get("kind", "rope")
    if kind == "rope":
        sc = pos.get("scaling")
        if sc is not None:
            sc = dict(sc)
            sc.setdefault("kind", "linear")
            sc.setdefault("factor", 1.0)
        pos = {"kind": "rope", "theta": float(pos.get("theta", 10000.0)),
               "fraction": float(pos.get("fraction", 1.0)),
               "style": pos.get("style", "rotate_half"), "scaling": sc}
        if pos["style"] not in ("rotate_half", "interleaved"):
            raise ValueError(f"{where}.position.style {pos['style']!r}")
    elif kind == "alibi":
        pos = {"kind": "alibi", "max_bias": float(pos.get("max_bias", 8.0))}
    elif kind == "relative_bias":
        pos = {"kind": "relative_bias", "buckets": int(pos.get("buckets", 32)),
               "max_distance": int(pos.get("max_distance", 128)),
               "bidirectional": bool(pos.get("bidirectional", False))}
        # HF's bucket arithmetic divides by max_exact and by log(max_distance / max_exact); both
        # must be nonzero (and the log positive) for the buckets to be defined and increasing.
        max_exact = (pos["buckets"] // (2 if pos["bidirectional"] else 1)) // 2
        if max_exact < 1:
            raise ValueError(f"{where}.position.buckets {pos['buckets']} is too small")
        if pos["max_distance"] <= max_exact:
            raise ValueError(f"{where}.position.max_distance must exceed {max_exact}")
    elif kind == "none":
        pos = {"kind": "none"}
    else:
        raise ValueError(f"{where}.position.kind {kind!r}")
    r["position"] = pos

    a = dict(b.get("attention") or {})
    H = int(a["heads"])
    mla = a.get("mla")
    at = {"heads": H, "kv_heads": int(a.get("kv_heads") or H)}
    if H % at["kv_heads"]:
        raise ValueError(f"{where}.attention.kv_heads does not divide heads")
    if mla is not None:
        mla = {"q_lora_rank": int(mla.get("q_lora_rank") or 0), "kv_lora_rank": int(mla["kv_lora_rank"]),
               "qk_nope_head_dim": int(mla["qk_nope_head_dim"]), "qk_rope_head_dim": int(mla["qk_rope_head_dim"]),
               "v_head_dim": int(mla["v_head_dim"])}
        hd_default = mla["qk_nope_head_dim"] + mla["qk_rope_head_dim"]
    else:
        if a.get("head_dim") is None and D % H:
            raise ValueError(f"{where}.attention.heads does not divide hidden_size")
        hd_default = D // H
    at["mla"] = mla
    at["head_dim"] = int(a.get("head_dim") or hd_default)
    at["scale"] = float(a["scale"]) if a.get("scale") is not None else at["head_dim"] ** -0.5
    at["window"] = a.get("window")
    at["softcap"] = a.get("softcap")
    at["qk_norm"] = a.get("qk_norm", "none")
    at["qkv_bias"] = bool(a.get("qkv_bias", False))
    at["out_bias"] = bool(a.get("out_bias", False))
    at["clip_qkv"] = a.get("clip_qkv")
    r["attention"] = at

    f = dict(b.get("ffn") or {})
    moe = b.get("moe")
    r["ffn"] = {"activation": f.get("activation", "silu"), "gated": bool(f.get("gated", True)),
                "intermediate": f.get("intermediate"), "bias": bool(f.get("bias", False))}
    if r["ffn"]["activation"] not in _ACT:
        raise ValueError(f"{where}.ffn.activation {r['ffn']['activation']!r}")
    if moe is not None:
        inter = moe.get("intermediate", r["ffn"]["intermediate"])
        shared = int(moe.get("shared", 0))
        r["moe"] = {"experts": int(moe["experts"]), "top_k": int(moe["top_k"]), "intermediate": int(inter),
                    "shared": shared, "shared_intermediate": int(moe.get("shared_intermediate", shared * inter)),
                    "renormalize": bool(moe.get("renormalize", False)), "routed_scale": moe.get("routed_scale")}
        if r["moe"]["top_k"] > r["moe"]["experts"]:
            raise ValueError(f"{where}.moe.top_k exceeds experts")
        if r["ffn"]["bias"]:
            raise ValueError(f"{where}.ffn.bias is not allowed with moe")
    else:
        r["moe"] = None
        if r["ffn"]["intermediate"] is None:
            raise ValueError(f"{where}.ffn.intermediate is required")
    return r


def resolve(card):
    """Top-level settings plus one resolved block per layer."""
    if not is_card(card):
        raise ValueError('not a tfc model card (needs "format": "tfc-model-card")')
    if card.get("version") != 1:
        raise ValueError(f"unsupported card version {card.get('version')!r}")
    V, D, L = int(card["vocab_size"]), int(card["hidden_size"]), int(card["num_layers"])
    block = card["block"]
    pattern = card.get("layers")
    raw = []
    if pattern:
        # Entry k describes `repeat` consecutive layers; the pattern repeats until L layers exist.
        while len(raw) < L:
            for e in pattern:
                e = dict(e)
                rep = int(e.pop("repeat", 1))
                pos = e.pop("position", "__keep__")
                b = _merge(block, e)
                if pos != "__keep__":
                    mp = _merge_position(block.get("position", "rope"), pos)
                    if mp is None:
                        b.pop("position", None)
                    else:
                        b["position"] = mp
                raw.extend([b] * rep)
        raw = raw[:L]
    else:
        raw = [block] * L
    layers = [_resolve_block(b, D, f"layers[{i}]") for i, b in enumerate(raw)]
    # AMBIGUITY: `true` for final_norm / embedding.norm is "the block's norm": taken to be
    # `block.norm` (not the norm of the first or last layer after the pattern).
    base_norm = _norm_obj(block.get("norm"))

    def norm_setting(v, default):
        if v is None:
            v = default
        if v is False:
            return None
        if v is True:
            return dict(base_norm)
        return _norm_obj(v, base_norm)

    emb = dict(card.get("embedding") or {})
    scale = emb.get("scale")
    if scale == "sqrt_hidden":
        scale = math.sqrt(D)
    positions = emb.get("positions", "none")
    top = {
        "vocab_size": V, "hidden_size": D, "num_layers": L,
        "embed_scale": None if scale is None else float(scale),
        "positions": positions,
        "max_positions": emb.get("max_positions"),
        "sinusoidal_base": float(emb.get("sinusoidal_base", 10000.0)),
        "embed_norm": norm_setting(emb.get("norm"), False),
        "final_norm": norm_setting(card.get("final_norm"), True),
        "tie_embeddings": bool(card.get("tie_embeddings", False)),
        "lm_head_bias": bool(card.get("lm_head_bias", False)),
        "final_softcap": card.get("final_softcap"),
        "layers": layers,
    }
    if positions == "learned" and not top["max_positions"]:
        raise ValueError("embedding.max_positions is required with learned positions")
    if positions not in ("none", "learned", "sinusoidal"):
        raise ValueError(f"embedding.positions {positions!r}")
    return top


# --------------------------------------------------------------------------
# weight names (docs/model-card.md, "Weight names")
# --------------------------------------------------------------------------
def norm_roles(blk):
    """(norm applied around attention, around the FFN) roles of one layer, in order."""
    pl = blk["placement"]
    if pl == "sandwich":
        return ["attn_norm", "post_attn_norm"], ["ffn_norm", "post_ffn_norm"]
    if pl == "post_sublayer":
        # AMBIGUITY: the doc does not say which roles hold the single norm of a post_sublayer
        # layer (`x + n(f(x))`).  The norm normalises the sublayer's output, as sandwich's second
        # norm does, so it is taken to be post_attn_norm / post_ffn_norm (olmo2's
        # post_attention_layernorm / post_feedforward_layernorm).  (`post` and `deep_norm` use
        # attn_norm / ffn_norm: the doc's example says so for `post`.)
        return ["post_attn_norm"], ["post_ffn_norm"]
    if blk["shape"] == "parallel" and blk["shared_norm"]:
        return ["attn_norm"], []
    return ["attn_norm"], ["ffn_norm"]


def weight_spec(card):
    """[(name, shape, kind)] for every tensor of the card.  kind: w (a matrix, std 1/sqrt(fan_in)),
    w3 (first projection of an MLP), emb, head, pos, norm (with the norm's weight_offset as
    `norm:<offset>`), qknorm, bias, relbias (a relative position bias table)."""
    top = resolve(card)
    V, D = top["vocab_size"], top["hidden_size"]
    S = []

    def add(name, shape, kind):
        S.append((name, tuple(int(s) for s in shape), kind))

    def norm(name, spec, size):
        add(name + ".weight", [size], f"norm:{spec['weight_offset']}")
        if spec["bias"]:
            add(name + ".bias", [size], "bias")

    def mlp(prefix, inter, gated, bias):
        if gated:
            add(prefix + "gate_proj.weight", [inter, D], "w3")
            if bias:
                add(prefix + "gate_proj.bias", [inter], "bias")
        add(prefix + "up_proj.weight", [inter, D], "w" if gated else "w3")
        if bias:
            add(prefix + "up_proj.bias", [inter], "bias")
        add(prefix + "down_proj.weight", [D, inter], "w")
        if bias:
            add(prefix + "down_proj.bias", [D], "bias")

    add("embed.weight", [V, D], "emb")
    if top["positions"] == "learned":
        add("pos_embed.weight", [top["max_positions"], D], "pos")
    if top["embed_norm"] is not None:
        norm("embed_norm", top["embed_norm"], D)
    for i, b in enumerate(top["layers"]):
        p = f"layers.{i}."
        ar, fr = norm_roles(b)
        for role in ar + fr:
            norm(p + role, b["norm"], D)
        at = b["attention"]
        H, Hk, hd = at["heads"], at["kv_heads"], at["head_dim"]
        a = p + "attn."
        if at["mla"] is not None:
            m = at["mla"]
            qhd = m["qk_nope_head_dim"] + m["qk_rope_head_dim"]
            if m["q_lora_rank"]:
                add(a + "q_a_proj.weight", [m["q_lora_rank"], D], "w")
                add(a + "q_a_norm.weight", [m["q_lora_rank"]], "qknorm")
                add(a + "q_b_proj.weight", [H * qhd, m["q_lora_rank"]], "w")
            else:
                add(a + "q_proj.weight", [H * qhd, D], "w")
            add(a + "kv_a_proj.weight", [m["kv_lora_rank"] + m["qk_rope_head_dim"], D], "w")
            add(a + "kv_a_norm.weight", [m["kv_lora_rank"]], "qknorm")
            add(a + "kv_b_proj.weight", [H * (m["qk_nope_head_dim"] + m["v_head_dim"]), m["kv_lora_rank"]], "w")
            add(a + "o_proj.weight", [D, H * m["v_head_dim"]], "w")
            if at["out_bias"]:
                add(a + "o_proj.bias", [D], "bias")
        else:
            for nm, out in (("q_proj", H * hd), ("k_proj", Hk * hd), ("v_proj", Hk * hd)):
                add(a + nm + ".weight", [out, D], "w")
            if at["qkv_bias"]:
                for nm, out in (("q_proj", H * hd), ("k_proj", Hk * hd), ("v_proj", Hk * hd)):
                    add(a + nm + ".bias", [out], "bias")
            add(a + "o_proj.weight", [D, H * hd], "w")
            if at["out_bias"]:
                add(a + "o_proj.bias", [D], "bias")
            if at["qk_norm"] == "per_head":
                add(a + "q_norm.weight", [hd], "qknorm")
                add(a + "k_norm.weight", [hd], "qknorm")
            elif at["qk_norm"] == "full":
                add(a + "q_norm.weight", [H * hd], "qknorm")
                add(a + "k_norm.weight", [Hk * hd], "qknorm")
        if b["position"]["kind"] == "relative_bias":
            # one table per layer, laid out as HF T5's relative_attention_bias Embedding weight
            add(a + "rel_bias.weight", [b["position"]["buckets"], H], "relbias")
        f = b["ffn"]
        if b["moe"] is None:
            mlp(p + "ffn.", f["intermediate"], f["gated"], f["bias"])
        else:
            mo = b["moe"]
            add(p + "moe.router.weight", [mo["experts"], D], "w")
            for e in range(mo["experts"]):
                mlp(p + f"moe.experts.{e}.", mo["intermediate"], f["gated"], False)
            if mo["shared"]:
                mlp(p + "moe.shared.", mo["shared_intermediate"], f["gated"], False)
    if top["final_norm"] is not None:
        norm("final_norm", top["final_norm"], D)
    if not top["tie_embeddings"]:
        add("head.weight", [V, D], "head")
    if top["lm_head_bias"]:
        add("head.bias", [V], "bias")
    # `base_model_prefix`: every name but the head's starts with it (docs/model-card.md).
    prefix = card.get("base_model_prefix") or ""
    return [(n if n.startswith("head.") else prefix + n, s, k) for n, s, k in S]


# --------------------------------------------------------------------------
# forward
# --------------------------------------------------------------------------
def _norm(x, W, name, spec):
    w = W(name + ".weight") + spec["weight_offset"]
    if spec["kind"] == "rms_norm":
        return _rms(x, w, spec["eps"])
    # AMBIGUITY: weight_offset is "added to the learned scale"; applied to LayerNorm's scale too.
    return _ln(x, w, W(name + ".bias") if spec["bias"] else None, spec["eps"])


def _qk_rms(x, W, name, eps):
    # qk_norm / MLA latent norms: "RMSNorm ... with the block's eps".
    # AMBIGUITY: whether the block norm's weight_offset (or its kind, for a LayerNorm block)
    # applies to them; the doc says RMSNorm with the block's eps only, so: plain RMSNorm, scale w.
    return _rms(x, W(name + ".weight"), eps)


def sinusoidal_table(n, D, base):
    """AMBIGUITY: the doc does not give the layout.  Taken as the original Transformer's
    (Vaswani et al. 2017, sec. 3.5): PE[p, 2i] = sin(p / base^(2i/D)), PE[p, 2i+1] = cos(same)."""
    pos = torch.arange(n, dtype=DT)[:, None]
    i2 = torch.arange(0, D, 2, dtype=DT)
    ang = pos / base ** (i2 / D)
    pe = torch.zeros(n, D, dtype=DT)
    pe[:, 0::2] = ang.sin()
    pe[:, 1::2] = ang.cos()[:, : D // 2]
    return pe


def alibi_slopes(H, max_bias):
    """ALiBi slopes: 2^(-max_bias * h / H), h = 1..H, for a power of two H.
    AMBIGUITY: the doc does not give the slopes (nor a rule for H not a power of two).  Taken
    as Press et al.'s: the slopes of the next power of two n2, odd-numbered ones first
    (== bloom's rule for max_bias 8), as MPT's build_alibi_bias generalises it to max_bias."""
    return hf_models._mpt_slopes(H, max_bias).to(DT)


def relative_position_bucket(relative_position, bidirectional, num_buckets, max_distance):
    """HF T5Attention._relative_position_bucket (transformers/models/t5/modeling_t5.py), the same
    arithmetic step by step.  relative_position = memory (key) position - query position, int64.
    The log stays in float32 as in HF, even though the rest of this reference is float64: the
    truncation `.to(torch.long)` must land on the same side of every bucket boundary as HF's
    (float64 could move one where the float32 quotient rounds across an integer; README.md)."""
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    relative_position_if_large = max_exact + (
        torch.log(relative_position.float() / max_exact)
        / math.log(max_distance / max_exact)
        * (num_buckets - max_exact)
    ).to(torch.long)
    relative_position_if_large = torch.min(
        relative_position_if_large, torch.full_like(relative_position_if_large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, relative_position_if_large)


def relative_bias(pos, table, n):
    """[H, n, n]: bias[h, p, j] = table[bucket(j - p), h] (HF T5Attention.compute_bias with
    query positions 0..n-1; each layer reads its own table [buckets, H])."""
    p = torch.arange(n, dtype=torch.long)[:, None]
    j = torch.arange(n, dtype=torch.long)[None, :]
    b = relative_position_bucket(j - p, pos["bidirectional"], pos["buckets"], pos["max_distance"])
    return table[b].permute(2, 0, 1)


def _rope_tables(pos, rot, n):
    sc = pos["scaling"]
    hf_sc = None
    if sc is not None:
        if sc["kind"] == "linear":
            hf_sc = {"rope_type": "linear", "factor": sc["factor"]}
        elif sc["kind"] == "llama3":
            hf_sc = {"rope_type": "llama3", "factor": sc["factor"], "low_freq_factor": sc["low_freq_factor"],
                     "high_freq_factor": sc["high_freq_factor"],
                     "original_max_position_embeddings": sc["original_max_positions"]}
        else:
            raise NotImplementedError(f"rope scaling {sc['kind']!r}")
    # AMBIGUITY: with fraction < 1, the frequencies are theta^(-2i/rot) over the rotated dims
    # (HF's gpt_neox / phi), not theta^(-2i/head_dim).
    inv, af = _inv_freq(rot, pos["theta"], hf_sc)
    return _cos_sin(inv, n, af)   # [n, rot]: columns (f_0..f_{r/2-1}, f_0..f_{r/2-1})


def apply_rope(x, cos, sin, style):
    """x [h, n, d]: rotates the leading cos.shape[-1] dims.  rotate_half: dim i pairs with
    i + r/2 (frequency i); interleaved: dim 2i pairs with 2i + 1 (frequency i)."""
    r = cos.shape[-1]
    xr, rest = x[..., :r], x[..., r:]
    if style == "rotate_half":
        h = r // 2
        rot = torch.cat([-xr[..., h:], xr[..., :h]], dim=-1)
        y = xr * cos + rot * sin
    else:
        c, s = cos[..., : r // 2], sin[..., : r // 2]
        a, b = xr[..., 0::2], xr[..., 1::2]
        y = torch.stack([a * c - b * s, b * c + a * s], dim=-1).reshape(xr.shape)
    return torch.cat([y, rest], dim=-1)


def _attention(blk, W, h, p, n, eps, masks):
    at = blk["attention"]
    pos = blk["position"]
    H, Hk, hd = at["heads"], at["kv_heads"], at["head_dim"]
    a = p + "attn."

    def lin(x, nm, bias):
        y = x @ W(a + nm + ".weight").t()
        return y + W(a + nm + ".bias") if bias else y

    def clip(t):
        # AMBIGUITY: clip_qkv's order relative to biases and qk_norm; taken after the biases
        # and before qk_norm / RoPE (mpt has neither).
        c = at["clip_qkv"]
        return t if c is None else t.clamp(min=-c, max=c)

    bias = None
    if at["mla"] is not None:
        m = at["mla"]
        nope, rd, vd, kvr = m["qk_nope_head_dim"], m["qk_rope_head_dim"], m["v_head_dim"], m["kv_lora_rank"]
        if m["q_lora_rank"]:
            q = lin(_qk_rms(lin(h, "q_a_proj", False), W, a + "q_a_norm", eps), "q_b_proj", False)
        else:
            q = lin(h, "q_proj", False)
        q = _heads(q, H, nope + rd)
        ckv = lin(h, "kv_a_proj", False)
        # AMBIGUITY: the layout of kv_a_proj's output is taken as DeepSeek-V2's [latent | k_rope]
        # and kv_b_proj's per head [k_nope | v]; q per head [q_nope | q_rope].
        c, k_pe = ckv[:, :kvr], ckv[:, kvr:]
        kv = _heads(lin(_qk_rms(c, W, a + "kv_a_norm", eps), "kv_b_proj", False), H, nope + vd)
        k_nope, v = kv[..., :nope], kv[..., nope:]
        if pos["kind"] != "rope":
            raise ValueError("mla needs rope")
        cos, sin = _rope_tables(pos, rd, n)
        q_pe = apply_rope(q[..., nope:], cos, sin, pos["style"])
        k_pe = apply_rope(k_pe[None], cos, sin, pos["style"]).expand(H, n, rd)
        q = torch.cat([q[..., :nope], q_pe], dim=-1)
        k = torch.cat([k_nope, k_pe], dim=-1)
    else:
        q = clip(lin(h, "q_proj", at["qkv_bias"]))
        k = clip(lin(h, "k_proj", at["qkv_bias"]))
        v = clip(lin(h, "v_proj", at["qkv_bias"]))
        # AMBIGUITY: qk_norm's order relative to RoPE is not stated; taken before RoPE, as in
        # qwen3 and olmo2, the two models the doc names.
        if at["qk_norm"] == "full":
            q = _qk_rms(q, W, a + "q_norm", eps)
            k = _qk_rms(k, W, a + "k_norm", eps)
        q, k, v = _heads(q, H, hd), _heads(k, Hk, hd), _heads(v, Hk, hd)
        if at["qk_norm"] == "per_head":
            q = _qk_rms(q, W, a + "q_norm", eps)
            k = _qk_rms(k, W, a + "k_norm", eps)
        if pos["kind"] == "rope":
            rot = int(hd * pos["fraction"])
            if rot % 2:
                raise ValueError("rope: int(head_dim * fraction) must be even")
            cos, sin = _rope_tables(pos, rot, n)
            q, k = apply_rope(q, cos, sin, pos["style"]), apply_rope(k, cos, sin, pos["style"])
    if pos["kind"] == "alibi":
        # slope_h * j for key j (softmax is invariant to the per-row shift slope_h * i).
        # AMBIGUITY: relative order of the ALiBi bias and the soft-cap: taken as scale, soft-cap,
        # then bias (the soft-cap is "on the scaled scores").
        bias = (alibi_slopes(H, pos["max_bias"])[:, None] * torch.arange(n, dtype=DT)[None, :])[:, None, :]
    elif pos["kind"] == "relative_bias":
        # Added where ALiBi is (after scale and soft-cap; the card's semantics say so), then
        # the causal/window mask as for every kind: a bidirectional table's "key after query"
        # half is never read.  T5 itself does not scale q.k: a T5 card says "scale": 1.0.
        bias = relative_bias(pos, W(a + "rel_bias.weight"), n)
    w = at["window"]
    if w not in masks:
        masks[w] = _allowed(n, w)
    # GQA: query head h reads kv head h // (H / Hk) (AMBIGUITY: not stated; the usual repeat_kv).
    o = _attend(q, k, v, at["scale"], masks[w], bias=bias, softcap=at["softcap"])
    return lin(o, "o_proj", at["out_bias"])


def _mlp(x, W, prefix, act, gated, bias):
    def lin(t, nm):
        y = t @ W(prefix + nm + ".weight").t()
        return y + W(prefix + nm + ".bias") if bias else y
    if gated:
        return lin(act(lin(x, "gate_proj")) * lin(x, "up_proj"), "down_proj")
    return lin(act(lin(x, "up_proj")), "down_proj")


def _ffn(blk, W, h, p, layer):
    f = blk["ffn"]
    act = _act(_ACT[f["activation"]])
    mo = blk["moe"]
    if mo is None:
        return _mlp(h, W, p + "ffn.", act, f["gated"], f["bias"])
    probs = torch.softmax(h @ W(p + "moe.router.weight").t(), dim=-1)     # softmax over all experts
    hf_models._record_router_margin(layer, probs, mo["top_k"])
    topv, topi = probs.topk(mo["top_k"], dim=-1)
    if mo["renormalize"]:
        topv = topv / topv.sum(-1, keepdim=True)
    if mo["routed_scale"] is not None:
        topv = topv * float(mo["routed_scale"])
    comb = torch.zeros_like(probs).scatter(1, topi, topv)
    out = torch.zeros_like(h)
    for e in range(mo["experts"]):
        out = out + comb[:, e:e + 1] * _mlp(h, W, p + f"moe.experts.{e}.", act, f["gated"], False)
    if mo["shared"]:
        # The shared experts are one MLP of shared_intermediate width, added with weight 1.
        out = out + _mlp(h, W, p + "moe.shared.", act, f["gated"], False)
    return out


def _layer(blk, W, x, i, n, masks):
    p = f"layers.{i}."
    ns = blk["norm"]
    eps = ns["eps"]

    def N(t, role):
        return _norm(t, W, p + role, ns)

    def attn(t):
        return _attention(blk, W, t, p, n, eps, masks)

    def ffn(t):
        return _ffn(blk, W, t, p, i)

    pl = blk["placement"]
    if blk["shape"] == "parallel":
        ha = N(x, "attn_norm")
        hf = ha if blk["shared_norm"] else N(x, "ffn_norm")
        return x + attn(ha) + ffn(hf)
    if pl == "pre":
        x = x + attn(N(x, "attn_norm"))
        return x + ffn(N(x, "ffn_norm"))
    if pl == "post":
        x = N(x + attn(x), "attn_norm")
        return N(x + ffn(x), "ffn_norm")
    if pl == "sandwich":
        x = x + N(attn(N(x, "attn_norm")), "post_attn_norm")
        return x + N(ffn(N(x, "ffn_norm")), "post_ffn_norm")
    if pl == "deep_norm":
        al = blk["deepnorm_alpha"]
        x = N(al * x + attn(x), "attn_norm")
        return N(al * x + ffn(x), "ffn_norm")
    if pl == "post_sublayer":
        x = x + N(attn(x), "post_attn_norm")
        return x + N(ffn(x), "post_ffn_norm")
    raise ValueError(pl)


def forward(card, weights, token_ids):
    """Logits [n, vocab] (float64) of every prompt position (causal, no cache)."""
    hf_models.DIAG.clear()
    top = resolve(card)
    # A card with `base_model_prefix` names its tensors with it; a base-model save without it.
    prefix = card.get("base_model_prefix") or ""
    if prefix and any(k.startswith(prefix) for k in weights):
        weights = {(k[len(prefix):] if k.startswith(prefix) else k): v for k, v in weights.items()}
    W = _W(weights)
    ids = torch.as_tensor(list(token_ids), dtype=torch.long)
    n = len(ids)
    D = top["hidden_size"]
    with torch.no_grad():
        x = W("embed.weight")[ids]
        # AMBIGUITY: order of the embedding steps: scale the embedded tokens, then add the
        # absolute positions ("scale multiplies the embedded tokens"), then the embedding norm.
        if top["embed_scale"] is not None:
            x = x * top["embed_scale"]
        if top["positions"] == "learned":
            if n > top["max_positions"]:
                raise ValueError("prompt longer than embedding.max_positions")
            x = x + W("pos_embed.weight")[:n]
        elif top["positions"] == "sinusoidal":
            x = x + sinusoidal_table(n, D, top["sinusoidal_base"])
        if top["embed_norm"] is not None:
            x = _norm(x, W, "embed_norm", top["embed_norm"])
        masks = {}
        for i, blk in enumerate(top["layers"]):
            x = _layer(blk, W, x, i, n, masks)
        if top["final_norm"] is not None:
            x = _norm(x, W, "final_norm", top["final_norm"])
        head = W("embed.weight") if top["tie_embeddings"] else W("head.weight")
        logits = x @ head.t()
        if top["lm_head_bias"]:
            logits = logits + W("head.bias")
        c = top["final_softcap"]
        if c is not None:
            logits = c * torch.tanh(logits / c)
    return logits
