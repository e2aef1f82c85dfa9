//===- ModelSpec.h - A family-independent model description -----*- C++ -*-===//
//
// What the importer reads out of a config.json or a model card before it
// emits IR. A layer is the attributes of its tfc.decoder_block, built with
// the attributes' own checked constructors, plus the checkpoint tensor of
// each weight role: the dialect is the one description of a block, and its
// verifiers the one judge of whether a combination is valid.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_IMPORTER_MODELSPEC_H
#define TFC_IMPORTER_MODELSPEC_H

#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tfc {

/// The element type the compiled model reads its weights in (what the
/// checkpoint stores, by default; docs/ABI.md `weight` lines).
enum class WeightDType { F32, BF16, F16 };

/// Where the reader found each attribute parameter: `kv_heads` came from
/// `num_key_value_heads`, or from `layers[2].attention.kv_heads`. A verifier
/// names the parameter at fault; this says which field to blame.
struct FieldOrigins {
  /// Parameter (`kv_heads`) or attribute-qualified parameter
  /// (`moe.intermediate`) -> the field as messages name it.
  llvm::StringMap<std::string> fields;
  /// The object a layer comes from ("block", "layers[2]"; "" for a
  /// config.json), for errors that name no bound parameter.
  std::string object;

  void bind(llvm::StringRef param, llvm::StringRef field) {
    fields[param] = field.str();
  }
};

/// One decoder layer: the attributes of its tfc.decoder_block (`layer` and
/// `weights` are set by the emitter) and role -> checkpoint tensor name.
struct LayerSpec {
  DecoderBlockOp::Properties block;
  llvm::StringMap<std::string> weights;
  std::shared_ptr<const FieldOrigins> origins;
};

/// A model-level norm and the tensors that fill it.
struct NormSpec {
  NormAttr norm;
  std::string weight, bias;
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
  std::vector<LayerSpec> layers;
  std::optional<NormSpec> finalNorm;
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
