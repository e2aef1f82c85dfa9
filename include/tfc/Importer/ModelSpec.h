//===- ModelSpec.h - A family-independent model description -----*- C++ -*-===//
//
// What the importer reads out of a config.json or a model card before it
// emits IR: every architectural choice explicit, every weight named. Both
// front ends fill a ModelSpec; one emitter turns it into tfc IR.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_IMPORTER_MODELSPEC_H
#define TFC_IMPORTER_MODELSPEC_H

#include "tfc/Dialect/TFC/IR/TFCAttrs.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tfc {

struct NormSpec {
  NormKind kind = NormKind::RMSNorm;
  double eps = 1e-6;
  std::optional<double> weightOffset; // gemma: 1.0
  bool bias = false;
};

struct RopeSpec {
  double theta = 10000.0;
  std::optional<double> fraction;
  RopeStyle style = RopeStyle::RotateHalf;
  struct Scaling {
    RopeScalingKind kind = RopeScalingKind::Linear;
    double factor = 1.0;
    std::optional<double> lowFreqFactor, highFreqFactor;
    int64_t originalMaxPosition = 0;
  };
  std::optional<Scaling> scaling;
};

enum class PositionKind { None, Rope, Alibi };

/// The element type the compiled model reads its weights in (what the
/// checkpoint stores, by default; docs/ABI.md `weight` lines).
enum class WeightDType { F32, BF16, F16 };

struct MLASpec {
  int64_t qLoraRank = 0, kvLoraRank = 0, qkNopeHeadDim = 0, qkRopeHeadDim = 0,
          vHeadDim = 0;
};

struct AttentionSpec {
  int64_t heads = 0, kvHeads = 0, headDim = 0;
  std::optional<double> scale;
  std::optional<int64_t> window;
  std::optional<double> softcap;
  QKNorm qkNorm = QKNorm::None;
  bool qkvBias = false, outBias = false;
  std::optional<double> clipQkv;
  std::optional<MLASpec> mla;
};

struct FFNSpec {
  Activation activation = Activation::SiLU;
  bool gated = true;
  int64_t intermediate = 0;
  bool bias = false;
};

struct MoESpec {
  int64_t experts = 0, topK = 0, intermediate = 0;
  int64_t shared = 0, sharedIntermediate = 0;
  bool renormalize = false;
  std::optional<double> routedScale;
};

/// One decoder layer: attributes plus role -> checkpoint tensor name (the
/// roles are those of tfc.decoder_block, see DecoderBlockOp.cpp).
struct LayerSpec {
  NormSpec norm;
  NormPlacement placement = NormPlacement::Pre;
  std::optional<double> deepnormAlpha;
  BlockShape shape = BlockShape::Serial;
  bool sharedNorm = false;
  PositionKind position = PositionKind::Rope;
  RopeSpec rope;
  double alibiMaxBias = 8.0;
  AttentionSpec attention;
  FFNSpec ffn;
  std::optional<MoESpec> moe;
  WeightLayout layout = WeightLayout::OutIn;
  std::optional<QKVPacking> qkvPacking;
  llvm::StringMap<std::string> weights;
};

struct ModelSpec {
  std::string modelType; // informational: "llama", "card", ...
  int64_t vocabSize = 0, hiddenSize = 0;
  std::string embedding;                  // [vocab, hidden]
  std::optional<double> embeddingScale;   // gemma: sqrt(hidden)
  AbsolutePosition absolutePosition = AbsolutePosition::None;
  std::string positionTable;              // learned: [maxPositions, hidden]
  int64_t maxPositions = 0;
  double sinusoidalBase = 10000.0;
  std::optional<NormSpec> embeddingNorm;  // bloom word_embeddings_layernorm
  std::string embeddingNormWeight, embeddingNormBias;
  std::vector<LayerSpec> layers;
  std::optional<NormSpec> finalNorm;
  std::string finalNormWeight, finalNormBias;
  std::string lmHead; // the embedding's name when tied
  WeightLayout lmHeadLayout = WeightLayout::OutIn;
  std::string lmHeadBias;
  std::optional<double> finalSoftcap;

  // What the runtime needs to bind a checkpoint and bound a context
  // (docs/ABI.md `context`, `base_model_prefix`, `optional` records).
  /// HF `base_model_prefix` plus ".", the part of every name but the LM
  /// head's that a base-model save leaves out; empty when there is none.
  std::string baseModelPrefix;
  /// The context the config says the model was trained for; 0: unknown.
  int64_t trainedContext = 0;
  /// Tensors a checkpoint may hold that the model does not read (the
  /// untied LM head of a tied model: HF ignores it when tying).
  std::vector<std::string> optionalWeights;
  WeightDType weightDType = WeightDType::F32;
};

} // namespace mlir::tfc

#endif // TFC_IMPORTER_MODELSPEC_H
