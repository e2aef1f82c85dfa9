//===- TFCOps.td - tfc operations --------------------------*- tablegen -*-===//
//
// Model-level ops (weights, decoder blocks) and the op-level operators a block
// expands into.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_DIALECT_TFC_IR_TFCOPS_TD
#define TFC_DIALECT_TFC_IR_TFCOPS_TD

include "tfc/Dialect/TFC/IR/TFCDialect.td"
include "tfc/Dialect/TFC/IR/TFCAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

// Activations. Ranks are stated here, so a wrong one is reported by ODS
// ("operand #0 must be 2D tensor of 32-bit float values") and the verifiers
// only check how the shapes agree.
def TFC_F32Tensor : RankedTensorOf<[F32]>;
def TFC_F32NonScalarTensor
    : RankedTensorOf<[F32], [HasRankGreaterOrEqualPred<1>], "non-0-ranked tensor">;
// [tokens, features].
def TFC_F32Tensor2D : TensorRankOf<[F32], [2]>;
// [tokens, heads, head_dim] (and [heads, queries, keys] for a bias).
def TFC_F32Tensor3D : TensorRankOf<[F32], [3]>;
// Weights are read in the dtype the checkpoint stores; ops that take them
// compute in f32 and widen each element as they read it.
def TFC_WeightTensor : RankedTensorOf<[F32, BF16, F16]>;
// A declared weight may also hold a block-quantized matrix's int8 values.
def TFC_DeclaredWeightTensor : RankedTensorOf<[F32, BF16, F16, I8]>;
def TFC_QuantMatrix : TensorRankOf<[I8], [2]>;
def TFC_QuantScales : TensorRankOf<[F16], [2]>;
def TFC_WeightVector : TensorRankOf<[F32, BF16, F16], [1]>;
def TFC_WeightMatrix : TensorRankOf<[F32, BF16, F16], [2]>;
def TFC_Tokens : RankedTensorOf<[I64], [HasAnyRankOfPred<[1]>]>;
// Keys and values are stored in f32 or a 16-bit float (tfc-compile --kv-dtype).
def TFC_KVCache : MemRefRankOf<[F32, BF16, F16], [2]>;

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def TFC_WeightDeclOp : TFC_Op<"weight_decl", [Symbol]> {
  let summary = "declares a tensor of the checkpoint by its name";
  let description = [{
    The symbol is the tensor's exact name in the checkpoint's safetensors
    files; the type is its shape as stored (row-major) and the element type
    the compiled code reads (f32, bf16 or f16); computation is in f32.
    Weights are bound when the compiled model is loaded, never compiled in.

    With `quantized` (tfc-quantize-weights), a matrix `[rows, cols]` is read
    block-quantized: the type is `tensor<rows x cols x i8>`, and the scales
    of its blocks (`cols / 32` f16 per row for q8_0) come with it. The
    runtime quantizes the checkpoint's tensor, whatever its stored dtype,
    when it binds it. Such a weight is read through `tfc.quantized_weight`.

    ```mlir
    tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<4096x4096xf32>
    tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<14336x4096xi8> quantized <q8_0>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<TFC_DeclaredWeightTensor>:$type,
                       OptionalAttr<TFC_QuantizationAttr>:$quantization);
  let assemblyFormat =
      "$sym_name `:` $type (`quantized` $quantization^)? attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getTensorType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getType());
    }
    /// The type of the scales of a quantized matrix: f16 [rows, cols / 32].
    ::mlir::RankedTensorType getScalesType();
  }];
}

def TFC_WeightOp : TFC_Op<"weight", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the value of a declared weight";
  let description = [{
    ```mlir
    %w = tfc.weight @model.norm.weight : tensor<4096xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs TFC_WeightTensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

def TFC_QuantizedWeightOp : TFC_Op<"quantized_weight", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the int8 values and block scales of a quantized weight";
  let description = [{
    Reads a weight declared `quantized <q8_0>`: `values [rows, cols]` int8
    and `scales [rows, cols / 32]` f16; element `(r, c)` of the matrix is
    `values[r, c] * scales[r, c / 32]` (`tfc.dequantize`).

    ```mlir
    %q, %d = tfc.quantized_weight @lm_head.weight : tensor<32000x4096xi8>, tensor<32000x128xf16>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs TFC_QuantMatrix:$values, TFC_QuantScales:$scales);
  let assemblyFormat =
      "$name attr-dict `:` type($values) `,` type($scales)";
}

def TFC_DequantizeOp : TFC_Op<"dequantize", [Pure]> {
  let summary = "a block-quantized matrix as f32";
  let description = [{
    `result[r, c] = values[r, c] * scales[r, c / 32]` (q8_0's blocks of 32
    along a row). A projection whose weight this is reads the int8 values and
    the scales directly, so the f32 matrix is never stored.

    ```mlir
    %w = tfc.dequantize %q, %d : tensor<4096x4096xi8>, tensor<4096x128xf16> -> tensor<4096x4096xf32>
    ```
  }];
  let arguments = (ins TFC_QuantMatrix:$values, TFC_QuantScales:$scales);
  let results = (outs TensorRankOf<[F32], [2]>:$result);
  let assemblyFormat = [{
    $values `,` $scales attr-dict `:` type($values) `,` type($scales) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def TFC_QuantizeOp : TFC_Op<"quantize", [Pure]> {
  let summary = "f32 activations rounded to q8_0 blocks";
  let description = [{
    Each run of 32 elements of a row as 32 int8 values and one f16 scale,
    the rule llama.cpp's x86 code applies to the activations of its Q8_0 dot
    products: with `amax` the block's largest `|x|`, `values = roundeven(x *
    127 / amax)` (0 where `amax` is 0) and `scale = f16(amax / 127)`.
    `tfc-quantize-weights` puts one before every projection whose weight is
    q8_0, so that the projection is a dot product of int8 values, scaled per
    block (`tfc.dequantize` of both).

    ```mlir
    %q, %d = tfc.quantize %x : tensor<?x4096xf32> -> tensor<?x4096xi8>, tensor<?x128xf16>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2]>:$input);
  let results = (outs TFC_QuantMatrix:$values, TFC_QuantScales:$scales);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($values) `,` type($scales)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Model level
//===----------------------------------------------------------------------===//

def TFC_DecoderBlockOp : TFC_Op<"decoder_block", [
    AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "one decoder layer, its variants as attributes";
  let description = [{
    Maps hidden states `[tokens, hidden]` at positions `position ..
    position + tokens - 1` to the layer's output, appending the layer's keys
    and values to its own `cache` and attending over everything cached
    before. The cache has one row of keys and values per position (see
    `tfc.kv_cache_append`); a sliding-window layer may be given a ring of
    `2 * window - 1` rows when it runs at most `window` tokens at a time.

    The attributes say what the layer is: `norm` (kind, eps) and `placement`;
    `shape` serial or parallel (`shared_norm`: attention and MLP read one
    normed input); `position` (`#tfc.rope`, `#tfc.alibi`,
    `#tfc.relative_bias`, `#tfc.nope`); `attention`; `ffn`, and `moe` when the
    feed-forward is a mixture of experts; `layout` of projection matrices and
    `qkv_packing` when q, k and v share one fused matrix. `weights` maps each
    role of the layer to the declared checkpoint tensor that fills it; the
    verifier checks every role the attributes need is there with the right
    shape and no other is.

    ```mlir
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.000000e-05>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position = #tfc.rope<theta = 5.000000e+05>,
        attention = #tfc.attention<gqa, heads = 32, kv_heads = 8, head_dim = 128>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 14336>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight, ...}}
        : tensor<?x4096xf32>, memref<?x2048xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor2D:$input, Index:$position,
                       TFC_KVCache:$cache,
                       I64Attr:$layer,
                       TFC_NormAttr:$norm,
                       TFC_NormPlacementAttr:$placement,
                       OptionalAttr<F64Attr>:$deepnorm_alpha,
                       TFC_BlockShapeAttr:$shape,
                       UnitAttr:$shared_norm,
                       TFC_PositionAttr:$position_encoding,
                       TFC_AttentionAttr:$attention,
                       TFC_FFNAttr:$ffn,
                       OptionalAttr<TFC_MoEAttr>:$moe,
                       DefaultValuedAttr<TFC_WeightLayoutAttr,
                                         "WeightLayout::OutIn">:$layout,
                       OptionalAttr<TFC_QKVPackingAttr>:$qkv_packing,
                       DictionaryAttr:$weights);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = [{
    $input `at` $position `cache` $cache attr-dict `:` type($input) `,` type($cache)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Width of the hidden state.
    int64_t getHiddenSize();
    /// The weights this block's attributes call for: role and stored shape.
    ::llvm::SmallVector<std::pair<::mlir::tfc::WeightRole,
                                  ::llvm::SmallVector<int64_t>>>
    getExpectedWeights();
    /// The same for a block of these attributes and hidden size, before any
    /// op exists (the importer names a layer's tensors from it).
    static ::llvm::SmallVector<std::pair<::mlir::tfc::WeightRole,
                                         ::llvm::SmallVector<int64_t>>>
    getExpectedWeights(const Properties &block, int64_t hiddenSize);
    /// f32 elements this layer keeps in the KV cache per token.
    int64_t getKVFloatsPerToken();
  }];
}

//===----------------------------------------------------------------------===//
// Embedding and positions
//===----------------------------------------------------------------------===//

def TFC_EmbeddingOp : TFC_Op<"embedding", [Pure]> {
  let summary = "looks up token embeddings";
  let description = [{
    Row `tokens[i]` of `table`, multiplied by `scale` when given (gemma
    multiplies by `sqrt(hidden)`).

    ```mlir
    %h = tfc.embedding %tokens, %table : tensor<?xi64>, tensor<32000x4096xf32> -> tensor<?x4096xf32>
    ```
  }];
  let arguments = (ins TFC_Tokens:$tokens, TFC_WeightMatrix:$table,
                       OptionalAttr<F64Attr>:$scale);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = [{
    $tokens `,` $table attr-dict `:` type($tokens) `,` type($table) `->` type($result)
  }];
  let hasVerifier = 1;
}

def TFC_LearnedPositionsOp : TFC_Op<"learned_positions", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "adds learned absolute position embeddings";
  let description = [{
    Row `i` of the result is `input[i] + table[position + i]` (GPT-2 `wpe`).

    ```mlir
    %y = tfc.learned_positions %x, %wpe at %pos : tensor<?x768xf32>, tensor<1024x768xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor2D:$input, TFC_WeightMatrix:$table,
                       Index:$position);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = [{
    $input `,` $table `at` $position attr-dict `:` type($input) `,` type($table)
  }];
  let hasVerifier = 1;
}

def TFC_SinusoidalPositionsOp : TFC_Op<"sinusoidal_positions", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "adds sinusoidal absolute position encodings";
  let description = [{
    Adds `sin(p / base^(2k/d))` at dim `2k` and `cos(...)` at `2k+1` for
    position `p = position + i` (Vaswani et al.).

    ```mlir
    %y = tfc.sinusoidal_positions %x at %pos {base = 1.000000e+04 : f64} : tensor<?x512xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor2D:$input, Index:$position, F64Attr:$base);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = "$input `at` $position attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalisation, projections, activations
//===----------------------------------------------------------------------===//

def TFC_RMSNormOp : TFC_Op<"rms_norm", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "RMS normalisation over the last dimension";
  let description = [{
    `x / sqrt(mean(x^2) + eps) * (weight + weight_offset)`.

    ```mlir
    %y = tfc.rms_norm %x, %w {eps = 1.000000e-06 : f64} : tensor<?x4096xf32>, tensor<4096xf32>
    ```
  }];
  let arguments = (ins TFC_F32NonScalarTensor:$input, TFC_WeightVector:$weight,
                       F64Attr:$eps,
                       DefaultValuedAttr<F64Attr, "0.0">:$weight_offset);
  let results = (outs TFC_F32NonScalarTensor:$result);
  let assemblyFormat = "$input `,` $weight attr-dict `:` type($input) `,` type($weight)";
  let hasVerifier = 1;
}

def TFC_LayerNormOp : TFC_Op<"layer_norm", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "layer normalisation over the last dimension";
  let description = [{
    `(x - mean) / sqrt(var + eps) * weight + bias` (no bias when absent).

    ```mlir
    %y = tfc.layer_norm %x, %w, %b {eps = 1.000000e-05 : f64} : tensor<?x768xf32>, tensor<768xf32>, tensor<768xf32>
    ```
  }];
  let arguments = (ins TFC_F32NonScalarTensor:$input, TFC_WeightVector:$weight,
                       Optional<TFC_WeightVector>:$bias, F64Attr:$eps);
  let results = (outs TFC_F32NonScalarTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight) (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

class TFC_ProjectionOp<string mnemonic> : TFC_Op<mnemonic, [Pure]> {
  let arguments = (ins TFC_F32Tensor2D:$input, TFC_WeightMatrix:$weight,
                       Optional<TFC_WeightVector>:$bias,
                       DefaultValuedAttr<TFC_WeightLayoutAttr,
                                         "WeightLayout::OutIn">:$layout);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def TFC_LinearOp : TFC_ProjectionOp<"linear"> {
  let summary = "a linear projection `x W^T + b`";
  let description = [{
    `input [tokens, in]`, `weight [out, in]` (`layout = out_in`, torch
    Linear) or `[in, out]` (`in_out`, GPT-2 Conv1D), optional `bias [out]`.

    ```mlir
    %q = tfc.linear %x, %wq : tensor<?x4096xf32>, tensor<4096x4096xf32> -> tensor<?x4096xf32>
    ```
  }];
}

def TFC_LMHeadOp : TFC_ProjectionOp<"lm_head"> {
  let summary = "projects hidden states to vocabulary logits";
  let description = [{
    A linear projection onto the vocabulary (the embedding table when tied).
    Kept apart from `tfc.linear` because it is the widest matmul of the model
    and is scheduled on its own.

    ```mlir
    %logits = tfc.lm_head %x, %w : tensor<?x4096xf32>, tensor<32000x4096xf32> -> tensor<?x32000xf32>
    ```
  }];
}

def TFC_HeadLinearOp : TFC_Op<"head_linear", [Pure]> {
  let summary = "each head projected by its own block of a weight's rows";
  let description = [{
    `input [n, heads, in]`; `weight [heads * head_rows, cols]` (any stored
    dtype) holds `head_rows` rows per head, and head `h` is projected by its
    rows `h * head_rows + row_offset ..`: with `layout = out_in` that block is
    `[out, in]` (`out` rows, `in = cols`),
    `y[i, h, o] = sum_k x[i, h, k] * W[h * head_rows + row_offset + o, k]`;
    with `in_out` it is `[in, out]` (`in` rows, `out = cols`),
    `y[i, h, o] = sum_k x[i, h, k] * W[h * head_rows + row_offset + k, o]`.

    MLA's absorbed attention (tfc-expand-blocks) reads `kv_b_proj`
    `[heads * (nope + v), kv_lora_rank]` this way, without expanding the
    latent into per-head keys and values: `W_uk` (the first `nope` rows of a
    head) as `in_out` takes the query to the latent, `W_uv` (the next `v`)
    as `out_in` takes attention's latent output to the value head.

    ```mlir
    // W_uk: 16 heads, 128 nope dims -> the 512-wide latent.
    %qc = tfc.head_linear %qn, %wkvb {head_rows = 256 : i64, row_offset = 0 : i64,
                                      layout = #tfc.layout<in_out>}
        : tensor<?x16x128xf32>, tensor<4096x512xbf16> -> tensor<?x16x512xf32>
    // W_uv: the latent -> 128 value dims.
    %o = tfc.head_linear %lat, %wkvb {head_rows = 256 : i64, row_offset = 128 : i64}
        : tensor<?x16x512xf32>, tensor<4096x512xbf16> -> tensor<?x16x128xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor3D:$input, TFC_WeightMatrix:$weight,
                       I64Attr:$head_rows, I64Attr:$row_offset,
                       DefaultValuedAttr<TFC_WeightLayoutAttr,
                                         "WeightLayout::OutIn">:$layout);
  let results = (outs TFC_F32Tensor3D:$result);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->` type($result)
  }];
  let hasVerifier = 1;
}

def TFC_ActivationOp : TFC_Op<"activation", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "an elementwise activation";
  let description = [{
    ```mlir
    %y = tfc.activation gelu_tanh %x : tensor<?x3072xf32>
    ```
  }];
  let arguments = (ins TFC_ActivationAttr:$kind, TFC_F32Tensor:$input);
  let results = (outs TFC_F32Tensor:$result);
  let assemblyFormat = "custom<ActivationKind>($kind) $input attr-dict `:` type($input)";
}

def TFC_GLUOp : TFC_Op<"glu", [Pure, AllTypesMatch<["gate", "up", "result"]>]> {
  let summary = "gated linear unit `activation(gate) * up`";
  let description = [{
    ```mlir
    %h = tfc.glu silu %g, %u : tensor<?x14336xf32>
    ```
  }];
  let arguments = (ins TFC_ActivationAttr:$kind, TFC_F32Tensor:$gate,
                       TFC_F32Tensor:$up);
  let results = (outs TFC_F32Tensor:$result);
  let assemblyFormat = "custom<ActivationKind>($kind) $gate `,` $up attr-dict `:` type($gate)";
}

def TFC_SoftcapOp : TFC_Op<"softcap", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "logit soft-capping `tanh(x / cap) * cap`";
  let description = [{
    ```mlir
    %y = tfc.softcap %logits {cap = 3.000000e+01 : f64} : tensor<?x256000xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor:$input, F64Attr:$cap);
  let results = (outs TFC_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def TFC_ClampOp : TFC_Op<"clamp", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "clamps every element to `[-limit, limit]`";
  let description = [{
    MPT's `clip_qkv` applied to the fused QKV projection.

    ```mlir
    %y = tfc.clamp %qkv {limit = 8.000000e+00 : f64} : tensor<?x12288xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor:$input, F64Attr:$limit);
  let results = (outs TFC_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def TFC_ResidualAddOp : TFC_Op<"residual_add", [Pure,
    AllTypesMatch<["residual", "update", "result"]>]> {
  let summary = "residual connection `alpha * residual + update`";
  let description = [{
    `alpha` is 1 except in DeepNorm blocks.

    ```mlir
    %y = tfc.residual_add %x, %attn : tensor<?x4096xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor:$residual, TFC_F32Tensor:$update,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let results = (outs TFC_F32Tensor:$result);
  let assemblyFormat = "$residual `,` $update attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def TFC_SplitQKVOp : TFC_Op<"split_qkv", [Pure]> {
  let summary = "splits a fused QKV projection into heads";
  let description = [{
    `input [tokens, (heads + 2 * kv_heads) * head_dim]` ordered by `packing`
    becomes `q [tokens, heads, head_dim]`, `k` and `v [tokens, kv_heads,
    head_dim]`.

    ```mlir
    %q, %k, %v = tfc.split_qkv %qkv {packing = #tfc.qkv_packing<grouped>, heads = 32 : i64,
        kv_heads = 32 : i64} : tensor<?x12288xf32> -> tensor<?x32x128xf32>, tensor<?x32x128xf32>, tensor<?x32x128xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor2D:$input, TFC_QKVPackingAttr:$packing,
                       I64Attr:$heads, I64Attr:$kv_heads);
  let results = (outs TFC_F32Tensor3D:$q, TFC_F32Tensor3D:$k,
                      TFC_F32Tensor3D:$v);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($q) `,` type($k) `,` type($v)
  }];
  let hasVerifier = 1;
}

def TFC_RopeOp : TFC_Op<"rope", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "rotary position embedding of queries or keys";
  let description = [{
    `input [tokens, heads, head_dim]`; token `i` is at position `position +
    i`. Rotates the leading `fraction * head_dim` dimensions of every head,
    pairing them as `style` says.

    ```mlir
    %qr = tfc.rope %q at %pos <theta = 1.000000e+04> : tensor<?x32x128xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor3D:$input, Index:$position, TFC_RopeAttr:$rope);
  let results = (outs TFC_F32Tensor3D:$result);
  let assemblyFormat = "$input `at` $position $rope attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def TFC_AttentionOp : TFC_Op<"attention", [Pure, AttrSizedOperandSegments]> {
  let summary = "causal scaled dot-product attention";
  let description = [{
    `query [n, heads, d]` at positions `position .. position + n - 1` attends
    to `key [T, kv_heads, d]` and `value [T, kv_heads, dv]` at positions
    `key_position .. key_position + T - 1` (`key_position` is 0 when absent);
    query head `h` reads kv head `h / (heads / kv_heads)`.
    Scores are `scale * q.k`, then `softcap`ped, then biased (+ ALiBi
    `slope_h * j` for the key at position `j`; + the T5 term
    `relative_bias_table[bucket(j - p), h]` with `relative_bias`, the table
    `[buckets, heads]` in its stored dtype; + `bias [heads, n, T]`), then
    masked: the key at position `j` is visible to the query at position `p`
    iff `j <= p` and, with a `window`, `p - j < window`.

    The relative bias is an operand of the op rather than a `bias` tensor
    from `tfc.relative_position_bias` so that both lowerings read the table
    where they form a score: the flash form then holds no `[heads, n, T]`
    tensor at all (tfc-fuse-attention folds a `tfc.relative_position_bias`
    feeding `bias` into this form).

    Keys and values that are a `tensor.concat` of pieces (a sliding-window
    layer's ring read and this step's keys) are read piece by piece in
    place by the flash form; the materialised form joins them.

    With `rope` (tfc-fuse-rope), the query is first rotated as `tfc.rope`
    would rotate it at `position`, over the dimensions from `rope_offset` (0
    when absent; MLA's decoupled part starts after `qk_nope_head_dim`) to
    the end of each head; the keys come rotated already.

    ```mlir
    %o = tfc.attention %q, %k, %v at %pos {scale = 0.088388 : f64}
        : tensor<?x32x128xf32>, tensor<?x8x128xf32>, tensor<?x8x128xf32> -> tensor<?x32x128xf32>
    // A sliding-window layer: the keys start at position %lo.
    %w = tfc.attention %q, %k, %v at %pos keys_from %lo {scale = 0.088388 : f64, window = 4096 : i64}
        : tensor<?x32x128xf32>, tensor<?x8x128xf32>, tensor<?x8x128xf32> -> tensor<?x32x128xf32>
    // T5 relative position bias, 8 heads.
    %t = tfc.attention %q, %k, %v at %pos
        relative_bias <buckets = 32, max_distance = 128>(%table : tensor<32x8xf32>)
        {scale = 1.0 : f64}
        : tensor<?x8x64xf32>, tensor<?x8x64xf32>, tensor<?x8x64xf32> -> tensor<?x8x64xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor3D:$query, TFC_F32Tensor3D:$key,
                       TFC_F32Tensor3D:$value, Index:$position,
                       Optional<Index>:$key_position,
                       Optional<TFC_F32Tensor3D>:$bias,
                       Optional<TFC_WeightMatrix>:$relative_bias_table,
                       F64Attr:$scale, OptionalAttr<I64Attr>:$window,
                       OptionalAttr<F64Attr>:$softcap,
                       OptionalAttr<TFC_AlibiAttr>:$alibi,
                       OptionalAttr<TFC_RelativeBiasAttr>:$relative_bias,
                       OptionalAttr<TFC_RopeAttr>:$rope,
                       OptionalAttr<I64Attr>:$rope_offset);
  let results = (outs TFC_F32Tensor3D:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value `at` $position (`keys_from` $key_position^)?
    (`relative_bias` $relative_bias^ `(` $relative_bias_table `:`
     type($relative_bias_table) `)`)?
    (`bias` $bias^)? attr-dict `:`
    type($query) `,` type($key) `,` type($value) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def TFC_RelativePositionBiasOp : TFC_Op<"relative_position_bias", [Pure]> {
  let summary = "T5-style bucketed relative position bias";
  let description = [{
    `table [buckets, heads]` (in its stored dtype); the result
    `[heads, query_len, key_len]` holds `table[bucket(j - (position + i)), h]`
    for the query `i` at position `position + i` and the key at position `j`
    (`RelativeBiasAttr::getBucket`). It is the materialised form of
    `tfc.attention`'s `relative_bias`, into which tfc-fuse-attention folds it
    when it feeds an attention's `bias` over keys from position 0.

    ```mlir
    %b = tfc.relative_position_bias %table at %pos, %q_len, %kv_len <buckets = 32, max_distance = 128>
        : tensor<32x8xf32> -> tensor<8x?x?xf32>
    ```
  }];
  let arguments = (ins TFC_WeightMatrix:$table, Index:$position, Index:$query_len,
                       Index:$key_len, TFC_RelativeBiasAttr:$config);
  let results = (outs TFC_F32Tensor3D:$result);
  let assemblyFormat = [{
    $table `at` $position `,` $query_len `,` $key_len $config attr-dict `:`
    type($table) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// KV cache
//===----------------------------------------------------------------------===//

def TFC_KVCacheAppendOp : TFC_Op<"kv_cache_append"> {
  let summary = "writes a layer's new keys and values into its cache";
  let description = [{
    A layer's cache is `[rows, kv_heads * (head_dim + value_dim)]`: a row
    holds one position's keys, then its values. It is a ring: position `p`
    lives in row `p mod rows`, so a cache of `max_context` rows keeps every
    position and a sliding-window layer, which appends at most `window`
    tokens before it reads their windows, needs `2 * window - 1`. The tokens
    `key [n, kv_heads, head_dim]` and `value [n, kv_heads, value_dim]` are at
    positions `position .. position + n - 1`; when `n > rows`, only the last
    `rows` of them are kept.
    With `rope` (tfc-fuse-rope), the keys are rotated as `tfc.rope` would
    rotate them at `position`, over the dimensions from `rope_offset` (0
    when absent) to the end of each head, as they are written: the cache
    holds rotated keys, as it does when a `tfc.rope` precedes the append.

    Without `value`, a row holds only the keys, `kv_heads * head_dim` floats:
    the cache of a layer whose values are the leading dims of its keys
    (MLA's absorbed form caches `[c | k_rope]` and attends with `c` as the
    value), read back with `tfc.kv_cache_read ... value_in_key`.

    ```mlir
    tfc.kv_cache_append %k, %v into %cache at %pos
        : tensor<?x8x128xf32>, tensor<?x8x128xf32>, memref<?x2048xf32>
    // The keys rotated as they are written.
    tfc.kv_cache_append %k, %v into %cache at %pos {rope = #tfc.rope<theta = 1.000000e+04>}
        : tensor<?x8x128xf32>, tensor<?x8x128xf32>, memref<?x2048xf32>
    // Keys only: MLA's latent and rotated key, 512 + 64 floats a row.
    tfc.kv_cache_append %ckr into %cache at %pos
        : tensor<?x1x576xf32>, memref<?x576xf32>
    ```
  }];
  let arguments = (ins TFC_F32Tensor3D:$key, Optional<TFC_F32Tensor3D>:$value,
                       Arg<TFC_KVCache, "the cache", [MemWrite]>:$cache,
                       Index:$position, OptionalAttr<TFC_RopeAttr>:$rope,
                       OptionalAttr<I64Attr>:$rope_offset);
  let assemblyFormat = [{
    $key (`,` $value^)? `into` $cache `at` $position attr-dict `:`
    custom<CacheTypes>(type($key), type($value), type($cache))
  }];
  let hasVerifier = 1;
}

def TFC_KVCacheReadOp : TFC_Op<"kv_cache_read"> {
  let summary = "reads the cached keys and values of positions [start, end)";
  let description = [{
    The cache is the ring of `tfc.kv_cache_append`: position `p` is row
    `p mod rows`. The result holds positions `start .. end - 1` in order;
    `end - start` must not exceed the rows, and those positions must be the
    ones last written to their rows.

    With `value_in_key` the rows hold only keys (a `tfc.kv_cache_append`
    without values) and `value [T, kv_heads, value_dim]` is the leading
    `value_dim <= head_dim` dims of each key head, a view of the same rows:
    MLA's latent `c` is both the key's first part and the value.

    ```mlir
    %k, %v = tfc.kv_cache_read %cache[%start, %end]
        : memref<?x2048xf32> -> tensor<?x8x128xf32>, tensor<?x8x128xf32>
    // MLA: keys [c | k_rope] of 512 + 64 dims, values c.
    %kc, %c = tfc.kv_cache_read %cache[%start, %end] value_in_key
        : memref<?x576xf32> -> tensor<?x1x576xf32>, tensor<?x1x512xf32>
    ```
  }];
  let arguments = (ins Arg<TFC_KVCache, "the cache", [MemRead]>:$cache,
                       Index:$start, Index:$end, UnitAttr:$value_in_key);
  let results = (outs TFC_F32Tensor3D:$key, TFC_F32Tensor3D:$value);
  let assemblyFormat = [{
    $cache `[` $start `,` $end `]` (`value_in_key` $value_in_key^)? attr-dict `:` type($cache) `->` type($key) `,` type($value)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Mixture of experts
//===----------------------------------------------------------------------===//

def TFC_MoEOp : TFC_Op<"moe", [Pure, AttrSizedOperandSegments]> {
  let summary = "routes each token to its top-k experts";
  let description = [{
    `router [experts, hidden]` scores the experts; a softmax over all of
    them, the `top_k` best kept, renormalised to sum 1 with `renormalize`,
    multiplied by `routed_scale`. Expert `e` computes
    `(act(x G_e^T) * x U_e^T) D_e^T` (gated) or `act(x U_e^T) D_e^T`; the
    result is the weighted sum over the chosen experts. Weights are
    `[intermediate, hidden]` for gate/up and `[hidden, intermediate]` for down.

    ```mlir
    %y = tfc.moe %x, %router gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64}
        : tensor<?x64xf32>, tensor<2x64xf32>, ...
    ```
  }];
  let arguments = (ins TFC_F32Tensor2D:$input, TFC_WeightMatrix:$router,
                       Variadic<TFC_WeightMatrix>:$gate_weights,
                       Variadic<TFC_WeightMatrix>:$up_weights,
                       Variadic<TFC_WeightMatrix>:$down_weights,
                       TFC_ActivationAttr:$activation, I64Attr:$top_k,
                       UnitAttr:$renormalize,
                       DefaultValuedAttr<F64Attr, "1.0">:$routed_scale);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = [{
    $input `,` $router `gate` `(` $gate_weights `)` `up` `(` $up_weights `)`
    `down` `(` $down_weights `)` attr-dict `:` type($input) `,` type($router)
    `,` (`gate` `(` type($gate_weights)^ `)` `,`)? `up` `(` type($up_weights) `)`
    `,` `down` `(` type($down_weights) `)` `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused ops (tfc-fuse-residual-norm, tfc-fuse-glu): each computes what a
// chain of the ops above does, in fewer passes over memory.
//===----------------------------------------------------------------------===//

def TFC_ResidualNormOp : TFC_Op<"residual_norm", [Pure,
    AllTypesMatch<["residual", "update", "sum", "result"]>]> {
  let summary = "residual add followed by a norm of its result";
  let description = [{
    `sum = alpha * residual + update` (`tfc.residual_add`), then `result` is
    `sum` normalised over the last dimension as `norm` says
    (`tfc.rms_norm` with `weight_offset`, or `tfc.layer_norm` with `bias`
    when `norm` has `bias = true`). Both the new residual stream and the
    normed value are results, so the sum is read once for both.

    ```mlir
    %s, %y = tfc.residual_norm %x, %attn, %w {alpha = 1.000000e+00 : f64,
        norm = #tfc.norm<rms_norm, eps = 1.000000e-06>} : tensor<?x4096xf32>, tensor<4096xf32>
    ```
  }];
  let arguments = (ins TFC_F32NonScalarTensor:$residual,
                       TFC_F32NonScalarTensor:$update,
                       TFC_WeightVector:$weight,
                       Optional<TFC_WeightVector>:$bias,
                       TFC_NormAttr:$norm,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let results = (outs TFC_F32NonScalarTensor:$sum,
                      TFC_F32NonScalarTensor:$result);
  let assemblyFormat = [{
    $residual `,` $update `,` $weight (`,` $bias^)? attr-dict `:`
    type($residual) `,` type($weight) (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

def TFC_GatedLinearOp : TFC_Op<"gated_linear", [Pure]> {
  let summary = "gate and up projections of one input and their GLU";
  let description = [{
    `activation(x G^T) * (x U^T)`: `tfc.linear` by `gate_weight` and by
    `up_weight` (same shape and `layout`, no biases), then `tfc.glu`. Lowered to
    one contraction with a gate and an up accumulator per output (x read
    once for both), then the GLU as an elementwise map of the two.

    ```mlir
    %h = tfc.gated_linear silu %x, %wg, %wu
        : tensor<?x4096xf32>, tensor<14336x4096xf32>, tensor<14336x4096xf32> -> tensor<?x14336xf32>
    ```
  }];
  let arguments = (ins TFC_ActivationAttr:$kind, TFC_F32Tensor2D:$input,
                       TFC_WeightMatrix:$gate_weight,
                       TFC_WeightMatrix:$up_weight,
                       DefaultValuedAttr<TFC_WeightLayoutAttr,
                                         "WeightLayout::OutIn">:$layout);
  let results = (outs TFC_F32Tensor2D:$result);
  let assemblyFormat = [{
    custom<ActivationKind>($kind) $input `,` $gate_weight `,` $up_weight
    attr-dict `:` type($input) `,` type($gate_weight) `,` type($up_weight)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // TFC_DIALECT_TFC_IR_TFCOPS_TD
