//===- Families.h - Readers of Hugging Face config.json families -*- C++ -*-===//
//
// One function per family (or group of families sharing a modeling file's
// structure); each reads the fields that affect the computation, applies the
// HF configuration class's defaults to absent fields, and names every tensor
// exactly as that family's model.safetensors does.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_IMPORTER_FAMILIES_H
#define TFC_LIB_IMPORTER_FAMILIES_H

#include "ConfigReader.h"

namespace mlir::tfc {

using FamilyReader = llvm::LogicalResult (*)(ConfigReader &, ModelSpec &);

/// llama, mistral, qwen2, qwen3, mixtral (LlamaFamily.cpp).
llvm::LogicalResult readLlamaLike(ConfigReader &config, ModelSpec &spec);
/// gemma, gemma2, olmo2, starcoder2 (GemmaOlmoStarcoder.cpp).
llvm::LogicalResult readGemma(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readGemma2(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readOlmo2(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readStarcoder2(ConfigReader &config, ModelSpec &spec);
/// gpt2, gpt_neox, phi, falcon, bloom, mpt (GPTFamilies.cpp).
llvm::LogicalResult readGPT2(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readGPTNeoX(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readPhi(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readFalcon(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readBloom(ConfigReader &config, ModelSpec &spec);
llvm::LogicalResult readMPT(ConfigReader &config, ModelSpec &spec);
/// deepseek_v2 (DeepSeekV2.cpp).
llvm::LogicalResult readDeepSeekV2(ConfigReader &config, ModelSpec &spec);

/// Fields every config.json may carry that do not change the logits
/// (token ids, dtype, dropout, training settings, ...).
void ignoreCommonFields(ConfigReader &config);

/// Maps an HF activation name (hidden_act) to tfc's; an error names the field
/// and the accepted names.
std::optional<Activation> readActivation(ConfigReader &config,
                                         llvm::StringRef key,
                                         llvm::StringRef dflt);

/// Reads HF `rope_scaling` (null, linear, llama3; others are errors).
void readRopeScaling(ConfigReader &config, RopeSpec &rope);

/// The LM head: the embedding when tied (then `untiedName`, the head's own
/// tensor, becomes an optional weight), else `untiedName`. Set
/// spec.embedding first.
void setLMHead(ModelSpec &spec, bool tied, llvm::StringRef untiedName);

/// Names the embedding, final norm and LM head as the families laid out like
/// HF modeling_llama do (`model.embed_tokens`, `model.norm`, `lm_head`, or
/// the embedding when tied); the final norm has a bias iff `norm.bias`.
/// Sets the base-model prefix "model." (their *PreTrainedModel's).
void setLlamaStyleEnds(ModelSpec &spec, const NormSpec &norm, bool tied);

/// Bounds the routed experts summed over the layers (limits.h
/// kMaxExpertInstances): each adds three tensors to the IR and the manifest.
/// Call before the per-layer loop; the error names `expertsKey`.
void checkExpertInstances(ConfigReader &config, llvm::StringRef expertsKey,
                          int64_t experts, int64_t moeLayers);

/// Checks heads / kv heads / head_dim consistency (an error names the fields).
void checkHeads(ConfigReader &config, llvm::StringRef headsKey,
                llvm::StringRef kvHeadsKey, int64_t heads, int64_t kvHeads);

} // namespace mlir::tfc

#endif // TFC_LIB_IMPORTER_FAMILIES_H
