//===- Families.h - Readers of Hugging Face config.json families -*- C++ -*-===//
//
// Most families are a row of the family table (HFFamilies.cpp): the defaults
// of their HF configuration class, the spellings of their fields and the
// layout of their tensor names, read by one generic reader. The families
// whose configuration is truly different keep a reader of their own, each
// saying why (GPTFamilies.cpp, DeepSeekV2.cpp). Every reader applies the HF
// defaults to absent fields, binds each attribute parameter to the field it
// read it from, and builds the attributes with their checked constructors:
// whether a combination is valid is the dialect's verifiers' to say.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_IMPORTER_FAMILIES_H
#define TFC_LIB_IMPORTER_FAMILIES_H

#include "BlockBuilder.h"
#include "ConfigReader.h"
#include "TensorNames.h"

namespace mlir::tfc {

using FamilyReader = llvm::LogicalResult (*)(ConfigReader &, BlockBuilder &,
                                             ModelSpec &);

/// The model types of the family table (HFFamilies.cpp), in its order.
llvm::ArrayRef<llvm::StringRef> getTableFamilies();
/// Reads a family of the table; `spec.modelType` says which.
llvm::LogicalResult readTableFamily(ConfigReader &config, BlockBuilder &b,
                                    ModelSpec &spec);

/// gpt2, gpt_neox, phi, falcon, bloom, mpt (GPTFamilies.cpp).
llvm::LogicalResult readGPT2(ConfigReader &config, BlockBuilder &b,
                             ModelSpec &spec);
llvm::LogicalResult readGPTNeoX(ConfigReader &config, BlockBuilder &b,
                                ModelSpec &spec);
llvm::LogicalResult readPhi(ConfigReader &config, BlockBuilder &b,
                            ModelSpec &spec);
llvm::LogicalResult readFalcon(ConfigReader &config, BlockBuilder &b,
                               ModelSpec &spec);
llvm::LogicalResult readBloom(ConfigReader &config, BlockBuilder &b,
                              ModelSpec &spec);
llvm::LogicalResult readMPT(ConfigReader &config, BlockBuilder &b,
                            ModelSpec &spec);
/// deepseek_v2 (DeepSeekV2.cpp).
llvm::LogicalResult readDeepSeekV2(ConfigReader &config, BlockBuilder &b,
                                   ModelSpec &spec);

/// Fields every config.json may carry that do not change the logits
/// (token ids, dtype, dropout, training settings, ...).
void ignoreCommonFields(ConfigReader &config);

/// Maps an HF activation name (hidden_act) to tfc's; an error names the field
/// and the accepted names.
std::optional<Activation> readActivation(ConfigReader &config,
                                         llvm::StringRef key,
                                         llvm::StringRef dflt);

/// An integer HF accepts under several names (`attribute_map` aliases such
/// as n_embd / hidden_size); two spellings with different values are an
/// error (HF would keep one of them silently). `key` is the name it was read
/// from (the first name when absent), for messages and origins.
struct Aliased {
  int64_t value;
  llvm::StringRef key;
};
Aliased readAliasedInt(ConfigReader &config,
                       llvm::ArrayRef<llvm::StringRef> keys, int64_t dflt,
                       int64_t min = 1);

/// hidden / heads, with an error when heads does not divide hidden (the
/// families without a head_dim key derive it so).
int64_t deriveHeadDim(ConfigReader &config, Aliased hidden, Aliased heads);

/// The sizes every family has, under its spellings (HF attribute_map
/// aliases, canonical name first where HF writes it) and its defaults.
struct SizeSpellings {
  int64_t vocab;
  llvm::ArrayRef<llvm::StringRef> hidden;
  int64_t hiddenDefault;
  llvm::ArrayRef<llvm::StringRef> layers;
  int64_t layersDefault;
  llvm::ArrayRef<llvm::StringRef> heads;
  int64_t headsDefault;
  /// The family's head_dim field, if it has one, and its default (0: hidden
  /// / heads when the field is absent).
  llvm::StringRef headDimKey = "";
  int64_t headDimDefault = 0;
};
struct Sizes {
  Aliased hidden, layers, heads;
  int64_t headDim;
};
/// Reads vocab_size and the sizes into `spec`, reads or derives head_dim and
/// binds heads and head_dim to the fields they came from.
Sizes readSizes(ConfigReader &config, BlockBuilder &b, ModelSpec &spec,
                const SizeSpellings &spellings);

/// What RoPE settings a reader knows before it reads the config's.
struct RopeDefaults {
  double theta = 10000.0;
  std::optional<double> fraction; // read by the family, bound by it
  RopeStyle style = RopeStyle::RotateHalf;
  /// The 4.x field of the base (gpt_neox: rotary_emb_base, which wins).
  llvm::StringRef thetaKey = "rope_theta";
  /// Appended to the error for an unsupported scaling type.
  llvm::StringRef note;
};

/// The partial rotary fraction: the first of `keys` at top level (4.x), or
/// `rope_parameters.partial_rotary_factor` (v5 folds it in there); binds
/// 'fraction' to the field read.
std::optional<double> readRotaryFraction(ConfigReader &config, BlockBuilder &b,
                                         llvm::ArrayRef<llvm::StringRef> keys);

/// #tfc.rope from `rope_parameters` when present (v5), else from
/// `rope_theta` and `rope_scaling` (4.x); binds theta and the scaling
/// parameters to the fields read. Null after an error.
RopeAttr readHFRope(ConfigReader &config, BlockBuilder &b,
                    const RopeDefaults &defaults);

/// The LM head: the embedding when tied (then `untiedName`, the head's own
/// tensor, becomes an optional weight), else `untiedName`. Set
/// spec.embedding first.
void setLMHead(ModelSpec &spec, bool tied, llvm::StringRef untiedName);

/// Names the embedding, final norm and LM head as the families laid out like
/// HF modeling_llama do (`model.embed_tokens`, `model.norm`, `lm_head`, or
/// the embedding when tied); the final norm has a bias iff `norm` has.
/// Sets the base-model prefix "model." (their *PreTrainedModel's).
void setLlamaStyleEnds(ModelSpec &spec, NormAttr norm, bool tied);

/// Bounds the routed experts summed over the layers (limits.h
/// kMaxExpertInstances): each adds three tensors to the IR and the manifest.
/// Call before the per-layer loop; the error names `expertsKey`.
void checkExpertInstances(ConfigReader &config, llvm::StringRef expertsKey,
                          int64_t experts, int64_t moeLayers);

/// mha, mqa or gqa, from the head counts (mla is the reader's to say).
AttentionKind attentionKind(int64_t heads, int64_t kvHeads);

/// A layer of these attributes: pre-norm, serial, out_in projections, no
/// MoE; the reader sets what its family changes.
LayerSpec makeLayer(BlockBuilder &b, NormAttr norm, Attribute position,
                    AttentionAttr attention, FFNAttr ffn);

} // namespace mlir::tfc

#endif // TFC_LIB_IMPORTER_FAMILIES_H
