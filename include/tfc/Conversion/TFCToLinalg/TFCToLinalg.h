//===- TFCToLinalg.h - Patterns lowering op-level tfc to linalg -*- C++ -*-===//
//
// The lowering of op-level tfc ops to linalg / tensor / arith / math, one
// entry point per op family, so that a fusion pass or another backend can take
// the families it does not replace (as upstream's TosaToLinalg.h exposes its
// elementwise and named-op patterns apart). Each pattern lowers one op; a case
// it cannot lower is reported on the op with emitOpError.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_CONVERSION_TFCTOLINALG_TFCTOLINALG_H
#define TFC_CONVERSION_TFCTOLINALG_TFCTOLINALG_H

namespace mlir {
class RewritePatternSet;

namespace tfc {

/// tfc.activation, tfc.glu, tfc.softcap, tfc.clamp, tfc.residual_add: one
/// parallel linalg.generic each.
void populateTFCElementwiseToLinalgPatterns(RewritePatternSet &patterns);

/// tfc.embedding, tfc.learned_positions, tfc.sinusoidal_positions: the token
/// table gather and the absolute positions added to it.
void populateTFCEmbeddingToLinalgPatterns(RewritePatternSet &patterns);

/// tfc.rms_norm, tfc.layer_norm: reductions over the last dimension followed
/// by one elementwise map.
void populateTFCNormToLinalgPatterns(RewritePatternSet &patterns);

/// tfc.linear, tfc.lm_head: contractions over the input dimension (bias as
/// the initial accumulator); tfc.gated_linear; tfc.head_linear, batched over
/// heads.
void populateTFCContractionToLinalgPatterns(RewritePatternSet &patterns);

/// tfc.split_qkv, tfc.rope, tfc.attention, and tfc.relative_position_bias
/// (reported as not lowered yet).
void populateTFCAttentionToLinalgPatterns(RewritePatternSet &patterns);

/// tfc.moe: router softmax, top-k gates, the experts' FFNs.
void populateTFCMoEToLinalgPatterns(RewritePatternSet &patterns);

/// tfc.kv_cache_append, tfc.kv_cache_read: the ring of rows as memref
/// subviews.
void populateTFCKVCacheToLinalgPatterns(RewritePatternSet &patterns);

/// All of the above: what tfc-lower-to-linalg applies.
void populateTFCToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace tfc
} // namespace mlir

#endif // TFC_CONVERSION_TFCTOLINALG_TFCTOLINALG_H
