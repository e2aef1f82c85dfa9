//===- Passes.td - tfc dialect passes ----------------------*- tablegen -*-===//
#ifndef TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD
#define TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TFCExpandBlocks : Pass<"tfc-expand-blocks", "::mlir::ModuleOp"> {
  let summary = "Expand tfc.decoder_block into op-level tfc ops";
  let description = [{
    Rewrites every `tfc.decoder_block` into the norms, projections, position
    encoding, KV-cache update, attention and feed-forward its attributes
    describe, reading its weights through `tfc.weight`. Every layer must have
    a KV cache of its own. A layer appends its keys and values and then
    attends over the cache; a sliding-window layer reads only its window
    `[position - W + 1, position + tokens)`, so its cache may be a ring of
    `2 W - 1` rows when a call takes at most `W` tokens: a cache that is a
    function argument is marked `tfc.kv_window = W` to say so.

    With `outline-layers` (the default), layers of one kind — identical
    attributes, input, cache and weight types — share one private function
    `@layer_kind_N(x, position, kv_cache, weights...)` (weights in role
    order, `tfc.layers` lists the layers of the kind); each block becomes a
    `func.call` that passes its layer's `tfc.weight`s and cache. Compile
    time and code size then follow the number of kinds, not the depth.

    ```mlir
    %y = tfc.decoder_block %x at %pos cache %c {...} : tensor<?x64xf32>, memref<?x256xf32>
    // becomes
    %n = tfc.rms_norm %x, %w0 {eps = ...}
    %q = tfc.linear %n, %wq ...
    ...
    ```
  }];
  let options = [
    Option<"outlineLayers", "outline-layers", "bool", /*default=*/"true",
           "One function per distinct layer kind, called once per layer "
           "(false: every block expanded in place)">,
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect"];
}

def TFCSetDTypes : Pass<"tfc-set-dtypes", "::mlir::ModuleOp"> {
  let summary = "Choose the element types of the weights and the KV caches";
  let description = [{
    Model-level: sets the element type every `tfc.weight_decl` (and its
    `tfc.weight` uses) is read in, and that of every layer's KV cache (the
    cache arguments of the function holding the `tfc.decoder_block`s).
    Computation stays f32 either way; 16-bit weights are widened as they are
    read, keys and values are rounded to nearest even when cached. An empty
    option keeps what the importer chose (the config's `torch_dtype` for
    weights, f32 for caches).

    ```mlir
    // tfc-opt --tfc-set-dtypes="weights=bf16 kv-cache=f16"
    tfc.weight_decl @w : tensor<64x64xf32>           // -> tensor<64x64xbf16>
    func.func @forward(..., %c: memref<?x256xf32>)    // -> memref<?x256xf16>
    ```
  }];
  let options = [
    Option<"weights", "weights", "std::string", /*default=*/"\"\"",
           "Element type of every weight: f32, bf16 or f16">,
    Option<"kvCache", "kv-cache", "std::string", /*default=*/"\"\"",
           "Element type of every KV cache: f32, bf16 or f16">,
  ];
}

def TFCQuantizeWeights : Pass<"tfc-quantize-weights", "::mlir::ModuleOp"> {
  let summary = "Read the weight matrices block-quantized (q8_0)";
  let description = [{
    Model-level, after the tfc fusions: every `tfc.weight_decl` matrix whose
    every use is the weight of a projection (`tfc.linear`, `tfc.gated_linear`,
    `tfc.lm_head`) in the `out_in` layout or the table of a `tfc.embedding`
    (so a tied head's too), with rows of whole 32-element blocks, as GGUF's
    Q8_0 files hold them, is declared `quantized <q8_0>` and read through
    `tfc.quantized_weight` + `tfc.dequantize`. A weight passed to a layer
    function is followed into it: the function's argument becomes the int8
    values and the scales, the argument of every call that passes a weight
    of its kind. Weights read otherwise stay as they are: norms, biases,
    learned position tables, MoE experts, MLA's `tfc.head_linear`, `in_out`
    matrices.

    The runtime quantizes each such tensor from its stored dtype when it
    binds the checkpoint (docs/ABI.md); the projections read the int8 values
    and widen and scale them in registers, the embedding its token's row.
    With `activations`, the input of every projection whose weights are all
    q8_0 is rounded to q8_0 blocks as well (`tfc.quantize` +
    `tfc.dequantize`), so that the projection is int8 dot products scaled
    per pair of blocks (llama.cpp's rule for its Q8_0 activations).

    ```mlir
    // tfc-opt --tfc-quantize-weights
    tfc.weight_decl @w : tensor<64x64xbf16>     // -> tensor<64x64xi8> quantized <q8_0>
    %w = tfc.weight @w : tensor<64x64xbf16>
    %y = tfc.linear %x, %w ...
    // becomes
    %q, %d = tfc.quantized_weight @w : tensor<64x64xi8>, tensor<64x2xf16>
    %w = tfc.dequantize %q, %d : ... -> tensor<64x64xf32>
    %y = tfc.linear %x, %w ...
    ```
  }];
  let options = [
    Option<"scheme", "scheme", "std::string", /*default=*/"\"q8_0\"",
           "Quantization of the projection matrices: q8_0">,
    Option<"activations", "activations", "bool", /*default=*/"true",
           "Round the input of each projection of q8_0 weights to q8_0 "
           "blocks too (tfc.quantize): int8 dot products, as llama.cpp's "
           "Q8_0">,
  ];
}

//===----------------------------------------------------------------------===//
// Fusions (between tfc-expand-blocks and the lowering; each can be left out
// with tfc-compile --disable-pass=NAME).
//===----------------------------------------------------------------------===//

def TFCFuseResidualNorm : Pass<"tfc-fuse-residual-norm"> {
  let summary = "Fuse a residual add and the norm of its result";
  let description = [{
    `tfc.residual_add` whose result a `tfc.rms_norm` or `tfc.layer_norm`
    normalises becomes one `tfc.residual_norm` with both the sum and the
    normed value as results: the post-norm, DeepNorm and sandwich/pre-norm
    (the norm before the MLP) placements. The sum is rounded and reduced in
    the same order as before, so results are bitwise those of the two ops.

    ```mlir
    %h = tfc.residual_add %x, %a : tensor<?x64xf32>
    %n = tfc.rms_norm %h, %w {eps = 1.000000e-06 : f64} : tensor<?x64xf32>, tensor<64xf32>
    // becomes
    %h, %n = tfc.residual_norm %x, %a, %w {alpha = 1.000000e+00 : f64,
        norm = #tfc.norm<rms_norm, eps = 1.000000e-06>} : tensor<?x64xf32>, tensor<64xf32>
    ```
  }];
}

def TFCFuseGLU : Pass<"tfc-fuse-glu"> {
  let summary = "Fuse the gate and up projections of a GLU feed-forward";
  let description = [{
    `tfc.glu` of two bias-free `tfc.linear`s of the same input (same weight
    type and layout) becomes one `tfc.gated_linear`: one contraction with two
    accumulators, then the activation and product (SwiGLU, GeGLU, ReGLU).
    A `tfc.moe` with gate weights gets the unit attribute
    `tfc.gated_experts`: its lowering gives each expert that one
    contraction.

    ```mlir
    %g = tfc.linear %x, %wg : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    %u = tfc.linear %x, %wu : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    %h = tfc.glu silu %g, %u : tensor<?x128xf32>
    // becomes
    %h = tfc.gated_linear silu %x, %wg, %wu
        : tensor<?x64xf32>, tensor<128x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    ```
  }];
}

def TFCFuseRope : Pass<"tfc-fuse-rope"> {
  let summary = "Fuse RoPE into attention (queries) and the KV-cache write (keys)";
  let description = [{
    A `tfc.rope` is an elementwise map of its own: a pass over the queries
    or keys between their projection and their one consumer. This pass moves
    each rotation into that consumer, so that no standalone `tfc.rope`
    remains in a layer:

    - the keys' into `tfc.kv_cache_append` (`rope` attribute): the map that
      writes the new keys into their cache rows (converting them to a 16-bit
      cache type where there is one) rotates them on the way, one pass over
      the keys instead of a rotation and then a copy;
    - the queries' into `tfc.attention` as its prologue: the query is read
      once per attention anyway (reshaped `[n, kv_heads, group, d]` in the
      flash form); attention owns the rotation, so a later tiling of the
      query rows computes it per tile.

    The rotation must have the consumer's position and the consumer must be
    its only user. It is found through the concatenations that
    `tfc-expand-blocks` builds for MLA (deepseek_v2): there only the
    decoupled `qk_rope_head_dim` part of a head rotates, which the fused op
    records as `rope_offset` (the first rotated dimension;
    `qk_nope_head_dim`), and the shared rotated key broadcast over the heads
    (a concatenation along heads) is rotated as it is cached. A
    concatenation of slices that together are their source (MLA's query
    split into its nope and rope parts and put back) folds to the source.
    Rotate-half and interleaved pairing and a partial rotary fraction are
    the `#tfc.rope`'s and carry over unchanged.

    Every layer `tfc-expand-blocks` builds, sliding-window ones included,
    caches its keys before attention reads them, so both rotations fuse; a
    rotation with other users, or whose consumer is neither, stays a
    `tfc.rope`. Same arithmetic as `tfc.rope`, per element:
    results are bitwise those of the unfused form.

    ```mlir
    %qr = tfc.rope %q at %pos <theta = 1.000000e+04> : tensor<?x8x64xf32>
    %kr = tfc.rope %k at %pos <theta = 1.000000e+04> : tensor<?x2x64xf32>
    tfc.kv_cache_append %kr, %v into %cache at %pos : ...
    %o = tfc.attention %qr, %keys, %values at %pos {scale = 0.125 : f64} : ...
    // becomes
    tfc.kv_cache_append %k, %v into %cache at %pos {rope = #tfc.rope<theta = 1.000000e+04>} : ...
    %o = tfc.attention %q, %keys, %values at %pos
        {rope = #tfc.rope<theta = 1.000000e+04>, scale = 0.125 : f64} : ...
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def TFCDispatchExperts : Pass<"tfc-dispatch-experts", "::mlir::ModuleOp"> {
  let summary = "Run each token through its routed experts only";
  let description = [{
    Marks every `tfc.moe` whose `top_k` is below its number of experts
    `tfc.dispatch`; `tfc-lower-to-linalg` then lowers it sparsely instead of
    running every expert on every token: per expert, a scan over the tokens
    lists those routed to it, an `scf.if` skips the expert when none is (a
    decode step reads the weights of its top-k experts only), and otherwise
    the routed rows are gathered into a compact `[m, hidden]` tensor, the
    expert's projections run on those m rows and the results are added back
    to their tokens weighted by the gate. Same sum, in the same order, as the
    dense form (the terms it drops are gate 0).

    The decision is a pass and the mechanism the lowering, so that the dense
    form stays one `--disable-pass=tfc-dispatch-experts` away.

    ```mlir
    %y = tfc.moe %x, %router gate(...) up(...) down(...) {top_k = 2 : i64, ...}
    // becomes
    %y = tfc.moe %x, %router gate(...) up(...) down(...) {top_k = 2 : i64, tfc.dispatch, ...}
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Attention (tfc-fuse-attention, tfc-tile-kv)
//===----------------------------------------------------------------------===//

def TFCFuseAttention : Pass<"tfc-fuse-attention"> {
  let summary = "Attention in the flash form: online softmax over KV tiles";
  let description = [{
    Marks every `tfc.attention` without an additive bias `tfc.kv_tile = N`
    and `tfc.query_tile = Q`; `tfc-lower-to-linalg` then lowers it
    flash-style instead of materialising the `[heads, n, T]` score matrix.
    The work is one `scf.forall` over (blocks of Q query rows, key chunks);
    an item takes its rows of every query head as `[rows, kv_heads, group,
    d]` (the query heads of a GQA/MQA group are a batch dimension, no
    `floordiv` indexing maps) and walks its keys in tiles of N rows with an
    `scf.for` carrying the running max, the running sum and the rescaled
    output accumulator (the online softmax of IREE's OnlineAttentionOp
    decomposition); each KV tile is read once for all the rows and heads
    that use it. A block of causal rows walks only the keys its last row
    sees, and a sliding-window block starts at its first row's window, so
    fully masked tiles are skipped. Scale, soft-cap, ALiBi, the T5 bias and
    the masks are applied per tile; the largest score tensor is `[Q,
    kv_heads, group, N]`. One combine merges the items' partial results.
    Same terms as the materialised form, summed in another order
    (reassociation only).

    ```mlir
    %o = tfc.attention %q, %k, %v at %pos {scale = 0.125 : f64}
        : tensor<?x8x64xf32>, tensor<?x2x64xf32>, tensor<?x2x64xf32> -> tensor<?x8x64xf32>
    // becomes
    %o = tfc.attention %q, %k, %v at %pos {scale = 0.125 : f64, tfc.kv_tile = 64 : i64,
                                            tfc.query_tile = 16 : i64}
        : tensor<?x8x64xf32>, tensor<?x2x64xf32>, tensor<?x2x64xf32> -> tensor<?x8x64xf32>
    ```
  }];
  let options = [
    Option<"kvTile", "kv-tile", "int64_t", /*default=*/"64",
           "Keys per step of the online softmax">,
    Option<"queryTile", "query-tile", "int64_t", /*default=*/"16",
           "Query rows per work item (they share each KV tile read)">,
  ];
}

def TFCTileKV : Pass<"tfc-tile-kv"> {
  let summary = "Split-KV (flash-decoding) for attention in the flash form";
  let description = [{
    Marks every `tfc.attention` that `tfc-fuse-attention` put in the flash
    form `tfc.kv_chunk = tile-size`: a step of one query row (decode) then
    splits its keys into chunks of `tile-size` rows, which are items of the
    flash form's `scf.forall` (handed to OpenMP on the CPU), each with its
    own online softmax over its KV tiles and all query heads reading each
    tile once; the combine rescales and sums the chunks' partial results. A
    single sequence's decode thus uses every thread however few kv heads
    and query rows it has. A step of several rows (prefill) is one chunk:
    its query blocks already give every thread work.

    ```mlir
    %o = tfc.attention %q, %k, %v at %pos {scale = 0.125 : f64, tfc.kv_tile = 64 : i64} : ...
    // becomes
    %o = tfc.attention %q, %k, %v at %pos {scale = 0.125 : f64, tfc.kv_chunk = 256 : i64,
                                            tfc.kv_tile = 64 : i64} : ...
    ```
  }];
  let options = [
    Option<"tileSize", "tile-size", "int64_t", /*default=*/"256",
           "Keys per parallel chunk of a decode step">,
  ];
}

#endif // TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD
