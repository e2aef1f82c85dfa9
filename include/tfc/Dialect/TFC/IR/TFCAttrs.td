//===- TFCAttrs.td - tfc enums and attributes --------------*- tablegen -*-===//
//
// The architectural choices of a decoder block, one typed attribute each.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_DIALECT_TFC_IR_TFCATTRS_TD
#define TFC_DIALECT_TFC_IR_TFCATTRS_TD

include "tfc/Dialect/TFC/IR/TFCDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def TFC_NormKind : I32EnumAttr<"NormKind", "normalisation", [
    I32EnumAttrCase<"LayerNorm", 0, "layer_norm">,
    I32EnumAttrCase<"RMSNorm", 1, "rms_norm">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_NormKindAttr : EnumAttr<TFC_Dialect, TFC_NormKind, "norm_kind"> {
  let assemblyFormat = "`<` $value `>`";
}

// Which norms a placement has, where, and which weight roles fill them, is
// getNormSlots (TFCAttrs.h): a new placement is a case here and a row there.
def TFC_NormPlacement : I32EnumAttr<"NormPlacement", "where a block normalises", [
    // x + f(norm(x))                                    (GPT-2, llama)
    I32EnumAttrCase<"Pre", 0, "pre">,
    // norm(x + f(x))                              (original Transformer)
    I32EnumAttrCase<"Post", 1, "post">,
    // x + norm2(f(norm1(x)))                             (gemma2, grok)
    I32EnumAttrCase<"Sandwich", 2, "sandwich">,
    // norm(alpha * x + f(x))                                  (DeepNorm)
    I32EnumAttrCase<"DeepNorm", 3, "deep_norm">,
    // x + norm(f(x))                                             (olmo2)
    I32EnumAttrCase<"PostSublayer", 4, "post_sublayer">,
    // norm(x) + f(norm(x))  (bloom apply_residual_connection_post_layernorm)
    I32EnumAttrCase<"PreNormedResidual", 5, "pre_normed_residual">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_NormPlacementAttr
    : EnumAttr<TFC_Dialect, TFC_NormPlacement, "norm_placement"> {
  let assemblyFormat = "`<` $value `>`";
}

def TFC_Activation : I32EnumAttr<"Activation", "activation function", [
    I32EnumAttrCase<"ReLU", 0, "relu">,
    I32EnumAttrCase<"GELU", 1, "gelu">,          // erf form
    I32EnumAttrCase<"GELUTanh", 2, "gelu_tanh">, // tanh approximation
    I32EnumAttrCase<"SiLU", 3, "silu">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_ActivationAttr : EnumAttr<TFC_Dialect, TFC_Activation, "activation"> {
  let assemblyFormat = "`<` $value `>`";
}

def TFC_RopeStyle : I32EnumAttr<"RopeStyle", "how RoPE pairs dimensions", [
    // Dimension i pairs with i + d/2 (HF rotate_half).
    I32EnumAttrCase<"RotateHalf", 0, "rotate_half">,
    // Dimension 2i pairs with 2i + 1 (GPT-J, the RoFormer paper).
    I32EnumAttrCase<"Interleaved", 1, "interleaved">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}

def TFC_RopeScalingKind : I32EnumAttr<"RopeScalingKind", "RoPE frequency scaling", [
    I32EnumAttrCase<"Linear", 0, "linear">,
    I32EnumAttrCase<"Llama3", 1, "llama3">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}

def TFC_AttentionKind : I32EnumAttr<"AttentionKind", "attention variant", [
    I32EnumAttrCase<"MHA", 0, "mha">,  // kv_heads == heads
    I32EnumAttrCase<"MQA", 1, "mqa">,  // kv_heads == 1
    I32EnumAttrCase<"GQA", 2, "gqa">,  // heads % kv_heads == 0
    I32EnumAttrCase<"MLA", 3, "mla">]> { // DeepSeek-V2 latent KV
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}

def TFC_QKNorm : I32EnumAttr<"QKNorm", "normalisation of queries and keys", [
    I32EnumAttrCase<"None", 0, "none">,
    // RMSNorm over head_dim, weight [head_dim] (qwen3).
    I32EnumAttrCase<"PerHead", 1, "per_head">,
    // RMSNorm over the whole projection, weight [heads * head_dim] (olmo2).
    I32EnumAttrCase<"Full", 2, "full">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}

def TFC_BlockShape : I32EnumAttr<"BlockShape", "how attention and MLP compose", [
    // x1 = x + attn(..x..); y = x1 + mlp(..x1..)
    I32EnumAttrCase<"Serial", 0, "serial">,
    // y = x + attn(n(x)) + mlp(n'(x))  (GPT-J, gpt_neox, phi, falcon)
    I32EnumAttrCase<"Parallel", 1, "parallel">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_BlockShapeAttr : EnumAttr<TFC_Dialect, TFC_BlockShape, "block_shape"> {
  let assemblyFormat = "`<` $value `>`";
}

def TFC_WeightLayout : I32EnumAttr<"WeightLayout", "storage of a projection matrix", [
    // [out, in]: torch.nn.Linear.
    I32EnumAttrCase<"OutIn", 0, "out_in">,
    // [in, out]: GPT-2's Conv1D.
    I32EnumAttrCase<"InOut", 1, "in_out">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_WeightLayoutAttr : EnumAttr<TFC_Dialect, TFC_WeightLayout, "layout"> {
  let assemblyFormat = "`<` $value `>`";
}

// How tfc-quantize-weights stores a projection matrix.
def TFC_Quantization : I32EnumAttr<"Quantization", "block quantization of a weight matrix", [
    // GGUF's Q8_0 block rule: each run of 32 consecutive elements of a row is
    // 32 int8 q and one f16 scale d, the element being q * d
    // (d = max |x| / 127, q = round(x / d)).
    I32EnumAttrCase<"Q8_0", 0, "q8_0">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_QuantizationAttr : EnumAttr<TFC_Dialect, TFC_Quantization, "quantization"> {
  let assemblyFormat = "`<` $value `>`";
}

def TFC_QKVPacking : I32EnumAttr<"QKVPacking", "order of a fused QKV projection's rows", [
    // All q heads, then all k heads, then all v heads (gpt2, mpt, falcon-7b MQA).
    I32EnumAttrCase<"Concat", 0, "concat">,
    // Per kv group: its q heads, then its k head, then its v head
    // (gpt_neox and bloom with groups of one, falcon's new architecture).
    I32EnumAttrCase<"Grouped", 1, "grouped">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}
def TFC_QKVPackingAttr : EnumAttr<TFC_Dialect, TFC_QKVPacking, "qkv_packing"> {
  let assemblyFormat = "`<` $value `>`";
}

def TFC_AbsolutePosition : I32EnumAttr<"AbsolutePosition", "positions added to the embedding", [
    I32EnumAttrCase<"None", 0, "none">,
    I32EnumAttrCase<"Learned", 1, "learned">,
    I32EnumAttrCase<"Sinusoidal", 2, "sinusoidal">]> {
  let cppNamespace = "::mlir::tfc";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class TFC_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TFC_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// An f64 parameter printed as a bare float literal (APFloat: hashable).
class TFC_F64Parameter<string desc = "">
    : AttrOrTypeParameter<"::llvm::APFloat", desc> {
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
  let printer = [{ $_printer.printFloat($_self) }];
  let parser = [{ [&]() -> ::mlir::FailureOr<::llvm::APFloat> {
    double value;
    if (::mlir::failed($_parser.parseFloat(value))) return ::mlir::failure();
    return ::llvm::APFloat(value);
  }() }];
}

// An optional f64 parameter (absent: std::nullopt).
class TFC_OptionalF64Parameter<string desc = "">
    : OptionalParameter<"std::optional<::llvm::APFloat>", desc> {
  let comparator = "$_lhs.has_value() == $_rhs.has_value() && "
                   "(!$_lhs || $_lhs->bitwiseIsEqual(*$_rhs))";
  let printer = [{ $_printer.printFloat(*$_self) }];
  let parser = [{ [&]() -> ::mlir::FailureOr<std::optional<::llvm::APFloat>> {
    double value;
    if (::mlir::failed($_parser.parseFloat(value))) return ::mlir::failure();
    return std::optional<::llvm::APFloat>(::llvm::APFloat(value));
  }() }];
}

// A boolean parameter printed as `true` / `false`.
class TFC_BoolParameter<string desc, string default = "false">
    : DefaultValuedParameter<"bool", default, desc> {
  let printer = [{ $_printer << ($_self ? "true" : "false") }];
  let parser = [{ [&]() -> ::mlir::FailureOr<bool> {
    if (::mlir::succeeded($_parser.parseOptionalKeyword("true"))) return true;
    if (::mlir::succeeded($_parser.parseOptionalKeyword("false"))) return false;
    return $_parser.emitError($_parser.getCurrentLocation(),
                              "expected 'true' or 'false'");
  }() }];
}

def TFC_NormAttr : TFC_Attr<"Norm", "norm"> {
  let summary = "a normalisation layer";
  let description = [{
    `kind` is LayerNorm or RMSNorm; `eps` is added to the variance.
    `weight_offset` is added to the learned scale before use (gemma's
    RMSNorm scales by `1 + w`: offset 1.0). `bias` says whether a LayerNorm
    has a learned bias.

    ```mlir
    #tfc.norm<rms_norm, eps = 1.000000e-06, weight_offset = 1.000000e+00>
    #tfc.norm<layer_norm, eps = 1.000000e-05, bias = true>
    ```
  }];
  let parameters = (ins
    "NormKind":$kind,
    TFC_F64Parameter<>:$eps,
    TFC_OptionalF64Parameter<"added to the scale">:$weight_offset,
    TFC_BoolParameter<"LayerNorm has a bias">:$bias);
  let assemblyFormat = "`<` $kind `,` struct($eps, $weight_offset, $bias) `>`";
  let genVerifyDecl = 1;
}

def TFC_RopeScalingAttr : TFC_Attr<"RopeScaling", "rope_scaling"> {
  let summary = "RoPE frequency scaling (HF rope_scaling)";
  let description = [{
    `linear` divides positions by `factor`; `llama3` rescales low
    frequencies as in HF `_compute_llama3_parameters`.

    ```mlir
    #tfc.rope_scaling<llama3, factor = 8.000000e+00, low_freq_factor = 1.000000e+00,
                      high_freq_factor = 4.000000e+00, original_max_position = 8192>
    ```
  }];
  let parameters = (ins
    "RopeScalingKind":$kind,
    TFC_F64Parameter<>:$factor,
    TFC_OptionalF64Parameter<>:$low_freq_factor,
    TFC_OptionalF64Parameter<>:$high_freq_factor,
    DefaultValuedParameter<"int64_t", "0">:$original_max_position);
  let assemblyFormat = [{
    `<` $kind `,` struct($factor, $low_freq_factor, $high_freq_factor,
                         $original_max_position) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Rescales the per-pair inverse frequencies of an unscaled RoPE in
    /// place: divided by `factor` (linear), or llama3's wavelength-banded
    /// rescaling (HF _compute_linear_scaling / _compute_llama3_parameters).
    void scaleInverseFrequencies(
        ::llvm::MutableArrayRef<float> inverseFrequencies) const;
  }];
}

def TFC_RopeAttr : TFC_Attr<"Rope", "rope"> {
  let summary = "rotary position embedding";
  let description = [{
    `theta` is the frequency base; `fraction` the share of each head that is
    rotated (the leading dimensions; gpt_neox `rotary_pct`, phi
    `partial_rotary_factor`); `style` how dimensions pair.

    ```mlir
    #tfc.rope<theta = 5.000000e+05>
    #tfc.rope<theta = 1.000000e+04, fraction = 2.500000e-01>
    ```
  }];
  let parameters = (ins
    TFC_F64Parameter<>:$theta,
    TFC_OptionalF64Parameter<"rotated fraction (default 1)">:$fraction,
    DefaultValuedParameter<"RopeStyle", "RopeStyle::RotateHalf">:$style,
    OptionalParameter<"RopeScalingAttr">:$scaling);
  let assemblyFormat = "`<` struct($theta, $fraction, $style, $scaling) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The rotated fraction of a head (1.0 when not given).
    double getFractionValue() const;
    /// Number of rotated dimensions of a head of `headDim` dimensions.
    int64_t getRotaryDim(int64_t headDim) const;
    /// The inverse frequency of each of the `rotaryDim / 2` rotated pairs,
    /// `theta^(-2k / rotaryDim)` in f32 as HF computes it, with `scaling`
    /// applied. Pair `k` at position `p` turns by the angle `p * inv[k]`.
    ::llvm::SmallVector<float> getInverseFrequencies(int64_t rotaryDim) const;
    /// Whether dimension 2i pairs with 2i + 1 (else i with i + rotaryDim/2).
    bool isInterleaved() const { return getStyle() == RopeStyle::Interleaved; }
  }];
}

def TFC_AlibiAttr : TFC_Attr<"Alibi", "alibi"> {
  let summary = "attention with linear biases (Press et al.)";
  let description = [{
    Head `h` adds `slope_h * j` to the score of key `j`; slopes are
    `2^(-max_bias * (h+1) / n)` for `n` heads a power of two, interleaved as
    in HF bloom's `build_alibi_tensor` otherwise.

    ```mlir
    #tfc.alibi<max_bias = 8.000000e+00>
    ```
  }];
  let parameters = (ins TFC_F64Parameter<>:$max_bias);
  let assemblyFormat = "`<` struct($max_bias) `>`";
  let extraClassDeclaration = [{
    /// The slope of each of `heads` heads, in f32 (HF bloom
    /// build_alibi_tensor, including its interleaving for a number of heads
    /// that is not a power of two).
    ::llvm::SmallVector<float> getSlopes(int64_t heads) const;
  }];
}

def TFC_RelativeBiasAttr : TFC_Attr<"RelativeBias", "relative_bias"> {
  let summary = "T5-style bucketed relative position bias";
  let description = [{
    Head `h` adds `table[bucket(j - p), h]` to the score of the key at
    position `j` for the query at position `p`, `table [buckets, heads]`
    being a learned weight. `bucket` is HF `T5Attention._relative_position_bucket`
    (getBucket): with `bidirectional` half the buckets are for keys after the
    query; of the buckets of one direction, the first half hold the distances
    0, 1, ... exactly and the rest distances growing logarithmically up to
    `max_distance`, beyond which all share the last bucket.

    ```mlir
    #tfc.relative_bias<buckets = 32, max_distance = 128>
    ```
  }];
  let parameters = (ins "int64_t":$buckets, "int64_t":$max_distance,
                        TFC_BoolParameter<"both directions">:$bidirectional);
  let assemblyFormat = "`<` struct($buckets, $max_distance, $bidirectional) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The buckets of one direction whose distances are exact (HF
    /// `max_exact`): buckets / 2, or buckets / 4 when bidirectional.
    int64_t getExactBuckets() const;
    /// The bucket of the key at `relativePosition` = key position - query
    /// position, as HF T5Attention._relative_position_bucket computes it:
    /// the logarithm and the products in f32, truncated to an integer.
    int64_t getBucket(int64_t relativePosition) const;
  }];
}

def TFC_NoPositionAttr : TFC_Attr<"NoPosition", "nope"> {
  let summary = "no position information in the block (NoPE)";
}

def TFC_MLAAttr : TFC_Attr<"MLA", "mla"> {
  let summary = "multi-head latent attention shapes (DeepSeek-V2)";
  let description = [{
    Queries go through a low-rank `q_lora_rank` bottleneck (0: a plain
    projection); keys and values through a `kv_lora_rank` latent. Each head's
    query/key is `qk_nope_head_dim` unrotated dims followed by
    `qk_rope_head_dim` rotated dims (the rotated key is shared by all heads);
    values have `v_head_dim`.

    ```mlir
    #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 128,
             qk_rope_head_dim = 64, v_head_dim = 128>
    ```
  }];
  let parameters = (ins "int64_t":$q_lora_rank, "int64_t":$kv_lora_rank,
                        "int64_t":$qk_nope_head_dim, "int64_t":$qk_rope_head_dim,
                        "int64_t":$v_head_dim);
  let assemblyFormat = [{
    `<` struct($q_lora_rank, $kv_lora_rank, $qk_nope_head_dim,
               $qk_rope_head_dim, $v_head_dim) `>`
  }];
  let genVerifyDecl = 1;
}

def TFC_AttentionAttr : TFC_Attr<"Attention", "attention"> {
  let summary = "the attention sublayer of a block";
  let description = [{
    `heads` query heads of `head_dim` dims attend over `kv_heads` key/value
    heads (`mha`: equal, `mqa`: one, `gqa`: a divisor; `mla`: latent KV,
    shapes in `mla`). Scores are multiplied by `scale` (default
    `head_dim^-0.5`), soft-capped as `tanh(s / softcap) * softcap` when
    `softcap` is set, and masked causally; with `window` a query at position
    `i` sees keys `j` with `i - window < j <= i`. `qk_norm` normalises
    queries and keys before RoPE. `qkv_bias` / `out_bias` say which
    projections have a bias. `clip_qkv` clamps the projections (mpt).

    ```mlir
    #tfc.attention<gqa, heads = 32, kv_heads = 8, head_dim = 128>
    #tfc.attention<gqa, heads = 16, kv_heads = 8, head_dim = 256, window = 4096,
                   softcap = 5.000000e+01, scale = 6.250000e-02>
    ```
  }];
  let parameters = (ins
    "AttentionKind":$kind,
    "int64_t":$heads,
    "int64_t":$kv_heads,
    "int64_t":$head_dim,
    TFC_OptionalF64Parameter<"score scale">:$scale,
    OptionalParameter<"std::optional<int64_t>", "sliding window">:$window,
    TFC_OptionalF64Parameter<"score soft-cap">:$softcap,
    DefaultValuedParameter<"QKNorm", "QKNorm::None">:$qk_norm,
    TFC_BoolParameter<"q/k/v projections have a bias">:$qkv_bias,
    TFC_BoolParameter<"output projection has a bias">:$out_bias,
    TFC_OptionalF64Parameter<"clamp of q/k/v">:$clip_qkv,
    OptionalParameter<"MLAAttr">:$mla);
  let assemblyFormat = [{
    `<` $kind `,` struct($heads, $kv_heads, $head_dim, $scale, $window,
                         $softcap, $qk_norm, $qkv_bias, $out_bias, $clip_qkv,
                         $mla) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The score scale: `scale` if given, else head_dim^-0.5.
    double getScaleValue() const;
    /// Dimensions of a value head (v_head_dim for MLA, else head_dim).
    int64_t getValueHeadDim() const;
    /// Floats a KV cache row holds for one position: kv_heads * (head_dim +
    /// value_dim), or for MLA kv_lora_rank + qk_rope_head_dim (the latent
    /// and the shared rotated key; the latent is also the value).
    int64_t getKVFloatsPerToken() const;
  }];
}

def TFC_FFNAttr : TFC_Attr<"FFN", "ffn"> {
  let summary = "the feed-forward sublayer of a block";
  let description = [{
    `activation(x W_up) W_down` or, with `gated`, the GLU form
    `(activation(x W_gate) * x W_up) W_down` (ReGLU, GeGLU, SwiGLU with
    relu, gelu, silu). `intermediate` is the hidden width.

    ```mlir
    #tfc.ffn<silu, gated = true, intermediate = 14336>
    #tfc.ffn<gelu_tanh, intermediate = 3072, bias = true>
    ```
  }];
  let parameters = (ins "Activation":$activation,
                        TFC_BoolParameter<"GLU form">:$gated,
                        "int64_t":$intermediate,
                        TFC_BoolParameter<"projections have biases">:$bias);
  let assemblyFormat = "`<` $activation `,` struct($gated, $intermediate, $bias) `>`";
  let genVerifyDecl = 1;
}

def TFC_MoEAttr : TFC_Attr<"MoE", "moe"> {
  let summary = "a mixture-of-experts feed-forward sublayer";
  let description = [{
    A router scores `experts` experts with a softmax over all of them; each
    token goes to its `top_k` best. With `renormalize` the chosen weights are
    divided by their sum (mixtral); the result is multiplied by
    `routed_scale` (deepseek `routed_scaling_factor`). Each expert is an FFN
    of width `intermediate` with the block's `ffn` activation; `shared` shared
    experts of width `shared_intermediate` (one dense FFN of that width) are
    added for every token.

    ```mlir
    #tfc.moe<experts = 8, top_k = 2, intermediate = 14336, renormalize = true>
    ```
  }];
  let parameters = (ins "int64_t":$experts, "int64_t":$top_k,
                        "int64_t":$intermediate,
                        DefaultValuedParameter<"int64_t", "0">:$shared,
                        DefaultValuedParameter<"int64_t", "0">:$shared_intermediate,
                        TFC_BoolParameter<"renormalise top-k weights">:$renormalize,
                        TFC_OptionalF64Parameter<>:$routed_scale);
  let assemblyFormat = [{
    `<` struct($experts, $top_k, $intermediate, $shared, $shared_intermediate,
               $renormalize, $routed_scale) `>`
  }];
  let genVerifyDecl = 1;
}

def TFC_PositionAttr : AnyAttrOf<[TFC_RopeAttr, TFC_AlibiAttr,
                                  TFC_RelativeBiasAttr, TFC_NoPositionAttr]>;

#endif // TFC_DIALECT_TFC_IR_TFCATTRS_TD
