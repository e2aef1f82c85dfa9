//===- Limits.h - Bounds the importer puts on a model description -*- C++ -*-===//
//
// A config.json or model card is untrusted input: every size is bounded
// before anything loops, allocates or multiplies with it, so a hostile file
// ends in an error naming the field within milliseconds instead of a hang,
// an out-of-memory abort or a wrapped-around size. Each bound is several
// times the largest published model's value (docs/reliability.md lists them
// with the models they were measured against); none limits a real model.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_IMPORTER_LIMITS_H
#define TFC_IMPORTER_LIMITS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::tfc::limits {

/// Config JSON files: size and nesting depth (llvm::json::parse recurses once
/// per level and has no limit of its own). Published config.json files are a
/// few KiB and at most 4 levels deep.
constexpr int64_t kMaxConfigBytes = 8 << 20;
constexpr int kMaxJSONDepth = 64;

/// Decoder layers (Llama-3.1-405B: 126).
constexpr int64_t kMaxLayers = 1024;
/// hidden_size (Llama-3.1-405B: 16384; Grok-1 6144; PaLM-540B 18432).
constexpr int64_t kMaxHidden = 1 << 17;
/// vocab_size (Gemma: 256000; the largest published near 262144).
constexpr int64_t kMaxVocab = 1 << 24;
/// Attention heads and KV heads (Llama-3.1-405B and DeepSeek-V3: 128).
constexpr int64_t kMaxHeads = 1024;
/// Per-head dims: head_dim, the MLA head dims (published: at most 256).
constexpr int64_t kMaxHeadDim = 1 << 16;
/// Other widths: intermediate sizes, MLA LoRA ranks (Llama-3.1-405B's MLP:
/// 53248).
constexpr int64_t kMaxWidth = 1 << 20;
/// Routed experts per layer (Qwen3-Next: 512) and routed expert instances
/// summed over the layers (Qwen3-Next 48 x 512 = 24576, Kimi-K2 61 x 384):
/// each instance adds three tensors to the IR and the manifest.
constexpr int64_t kMaxExperts = 4096;
constexpr int64_t kMaxExpertInstances = 1 << 17;
/// Positions: trained context, windows, learned position tables (Llama 4
/// Scout: 10M).
constexpr int64_t kMaxPositions = 1 << 27;
/// Any other integer: the largest a JSON number holds exactly as a double.
constexpr int64_t kMaxInteger = int64_t(1) << 53;

/// The bound of an integer field, by its name in any family or in a card
/// (several names share one setting: n_embd / hidden_size / d_model), and
/// what it bounds, for messages ("layers"); kMaxInteger and "" for others.
struct FieldLimit {
  int64_t max;
  llvm::StringRef what;
};
FieldLimit getFieldLimit(llvm::StringRef key);

} // namespace mlir::tfc::limits

#endif // TFC_IMPORTER_LIMITS_H
