//===- TFCDialect.h - The tfc dialect ---------------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCDIALECT_H
#define TFC_DIALECT_TFC_IR_TFCDIALECT_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "tfc/Dialect/TFC/IR/TFCOpsDialect.h.inc"

namespace mlir::tfc {
// The discardable attributes of the dialect: each name is spelt here only,
// and TFCDialect::verifyOperationAttribute / verifyRegionArgAttribute check
// its type, range and where it may appear; any other `tfc.` attribute is an
// error.

// On the builtin.module, set by the importer; what the manifest records.
/// Hugging Face `model_type` (or "card"): a non-empty string.
inline constexpr llvm::StringLiteral kModelTypeAttrName = "tfc.model_type";
/// Number of decoder layers: an i64 >= 0.
inline constexpr llvm::StringLiteral kNumLayersAttrName = "tfc.num_layers";
/// The prefix the checkpoint's tensor names may lack (transformers'
/// `base_model_prefix`, e.g. "model."): a non-empty string.
inline constexpr llvm::StringLiteral kBaseModelPrefixAttrName =
    "tfc.base_model_prefix";
/// Context length the model was trained for: an i64 >= 0 (0: unknown).
inline constexpr llvm::StringLiteral kTrainedContextAttrName =
    "tfc.trained_context";
/// Positions a learned position table holds: an i64 > 0.
inline constexpr llvm::StringLiteral kPositionLimitAttrName =
    "tfc.position_limit";
/// Checkpoint tensors the model may find and does not read (an untied head of
/// a tied model): an array of non-empty strings.
inline constexpr llvm::StringLiteral kOptionalWeightsAttrName =
    "tfc.optional_weights";

// On functions and their arguments.
/// On a layer function of tfc-expand-blocks: the layers it computes, distinct
/// i64s in [0, tfc.num_layers).
inline constexpr llvm::StringLiteral kLayersAttrName = "tfc.layers";
/// On a function argument: what it is ("tokens", "kv_cache.0", a weight
/// role), a non-empty string.
inline constexpr llvm::StringLiteral kArgNameAttrName = "tfc.name";
/// On a function argument that is the KV cache of a sliding-window layer
/// (a 2-D memref): the window, an i64 > 0; the caller may pass a ring of
/// that many rows (docs/ABI.md).
inline constexpr llvm::StringLiteral kKVWindowAttrName = "tfc.kv_window";

// On ops: how an optimisation pass tells the lowering what to do (the
// decision is the pass, the mechanism the lowering).
/// On tfc.attention (tfc-fuse-attention): keys per online-softmax step, an
/// i64 > 0.
inline constexpr llvm::StringLiteral kKVTileAttrName = "tfc.kv_tile";
/// On tfc.attention with tfc.kv_tile (tfc-fuse-attention): query rows per
/// work item, which read each KV tile once; an i64 > 0.
inline constexpr llvm::StringLiteral kQueryTileAttrName = "tfc.query_tile";
/// On tfc.attention with tfc.kv_tile (tfc-tile-kv): keys per parallel chunk
/// of a decode step, an i64 > 0.
inline constexpr llvm::StringLiteral kKVChunkAttrName = "tfc.kv_chunk";
/// On tfc.moe (tfc-dispatch-experts), a unit attribute: each token through
/// its routed experts only.
inline constexpr llvm::StringLiteral kDispatchAttrName = "tfc.dispatch";
/// On a tfc.moe with gate weights (tfc-fuse-glu), a unit attribute: each
/// expert's gate and up projections as one contraction with the GLU fused,
/// as tfc.gated_linear.
inline constexpr llvm::StringLiteral kGatedExpertsAttrName =
    "tfc.gated_experts";
} // namespace mlir::tfc

#endif // TFC_DIALECT_TFC_IR_TFCDIALECT_H
