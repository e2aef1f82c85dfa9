//===- TensorNames.h - How a checkpoint names a layer's tensors -*- C++ -*-===//
//
// Which weights a layer has follows from its attributes
// (DecoderBlockOp::getExpectedWeights); what they are called in a checkpoint
// is a property of the layout its family's modeling file gives the modules.
// A layout maps each role to a module path under the layer prefix: a weight
// role names `<module>.weight`, a bias role `<module>.bias` of the module
// whose bias it is. Every family names its layers through one of these.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_IMPORTER_TENSORNAMES_H
#define TFC_LIB_IMPORTER_TENSORNAMES_H

#include "tfc/Importer/Importer.h"

#include "llvm/ADT/ArrayRef.h"

namespace mlir::tfc {

struct TensorLayout {
  /// The layer prefix with `{i}` for the layer index ("model.layers.{i}.").
  llvm::StringRef layerPrefix;
  /// (role, module path) for the roles of the layer itself; a bias role
  /// needs no entry (it is the `.bias` of the role it biases).
  llvm::ArrayRef<std::pair<WeightRoleKind, llvm::StringRef>> modules;
  /// Routed expert `e`'s prefix with `{e}` ("mlp.experts.{e}."), and the
  /// module of each expert projection role (w1/w3/w2 in mixtral).
  llvm::StringRef expertPrefix;
  llvm::ArrayRef<std::pair<WeightRoleKind, llvm::StringRef>> expertModules;
  /// The shared experts' prefix ("mlp.shared_experts.").
  llvm::StringRef sharedPrefix;
};

/// The layouts of the Hugging Face families and of tfc's model card
/// (docs/families.md gives each family's names, docs/model-card.md the
/// card's).
namespace layouts {
extern const TensorLayout kLlama;       // modeling_llama and its descendants
extern const TensorLayout kMixtral;     // block_sparse_moe, w1/w3/w2
extern const TensorLayout kDeepSeekV2;  // MLA, mlp.experts, shared_experts
extern const TensorLayout kSandwich;    // gemma2, olmo2 post-sublayer norms
extern const TensorLayout kStarcoder2;  // mlp.c_fc / mlp.c_proj
extern const TensorLayout kGPT2;        // transformer.h, Conv1D c_attn
extern const TensorLayout kGPTNeoX;     // gpt_neox.layers, query_key_value
extern const TensorLayout kBloom;       // transformer.h, self_attention
extern const TensorLayout kFalconTwoNorms; // ln_attn / ln_mlp
extern const TensorLayout kPhi;         // self_attn.dense, mlp.fc1 / fc2
extern const TensorLayout kMPT;         // transformer.blocks, Wqkv
extern const TensorLayout kCard;        // layers.{i}.attn / ffn / moe
} // namespace layouts

/// Names every weight role of every layer of `spec` by `layout`, in the
/// roles DecoderBlockOp::getExpectedWeights gives each layer. A role the
/// layout has no module for is an error (a reader's bug, reported).
llvm::LogicalResult nameLayerWeights(ModelSpec &spec,
                                     const TensorLayout &layout,
                                     ImportDiagnostics &diags);

/// Names one layer's weights (`index`: its position in the model).
llvm::LogicalResult nameLayerWeights(LayerSpec &layer, int64_t hiddenSize,
                                     int64_t index, const TensorLayout &layout,
                                     ImportDiagnostics &diags);

} // namespace mlir::tfc

#endif // TFC_LIB_IMPORTER_TENSORNAMES_H
