//===- HFConfig.cpp - Hugging Face config.json: dispatch and shared parts -===//
#include "Families.h"

#include "tfc/Importer/Limits.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct SpecialFamily {
  llvm::StringRef modelType;
  FamilyReader read;
};
} // namespace

// The families whose configuration the family table cannot say: Conv1D
// layouts and per-layer scales (gpt2), fused-QKV packings and parallel
// blocks chosen by several fields (gpt_neox, phi, falcon, bloom), nested
// attn_config (mpt), latent attention and layer-dependent MoE (deepseek_v2).
static const SpecialFamily kSpecialFamilies[] = {
    {"gpt2", readGPT2},     {"gpt_neox", readGPTNeoX},
    {"phi", readPhi},       {"falcon", readFalcon},
    {"bloom", readBloom},   {"mpt", readMPT},
    {"deepseek_v2", readDeepSeekV2},
};

llvm::ArrayRef<llvm::StringRef> mlir::tfc::getSupportedModelTypes() {
  static const std::vector<llvm::StringRef> types = [] {
    std::vector<llvm::StringRef> list(getTableFamilies().begin(),
                                      getTableFamilies().end());
    for (const SpecialFamily &f : kSpecialFamilies)
      list.push_back(f.modelType);
    return list;
  }();
  return types;
}

void mlir::tfc::ignoreCommonFields(ConfigReader &config) {
  config.ignore({"architectures", "auto_map", "model_type", "torch_dtype",
                 "dtype", "transformers_version", "bos_token_id",
                 "eos_token_id", "pad_token_id", "use_cache", "initializer_range",
                 "attention_dropout", "hidden_dropout", "dropout",
                 "embd_pdrop", "resid_pdrop", "attn_pdrop", "summary_activation",
                 "summary_first_dropout", "summary_proj_to_labels",
                 "summary_type", "summary_use_proj", "task_specific_params",
                 "_name_or_path", "pretraining_tp", "max_position_embeddings",
                 "n_positions", "n_ctx", "seq_length", "output_attentions",
                 "output_hidden_states", "return_dict", "is_decoder",
                 "torchscript", "tokenizer_class", "quantization_config",
                 "mlp_bias_dropout", "use_return_dict", "gradient_checkpointing",
                 "layer_types", "sliding_window_pattern", "id2label",
                 "label2id", "problem_type", "scale_attn_weights",
                 "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn",
                 "classifier_dropout", "decoder_start_token_id"});
}

std::optional<Activation> mlir::tfc::readActivation(ConfigReader &config,
                                                    llvm::StringRef key,
                                                    llvm::StringRef dflt) {
  // HF ACT2FN names; "gelu_new", "gelu_pytorch_tanh" and "gelu_fast" are the
  // tanh approximation, "gelu" the erf form.
  static const std::pair<llvm::StringRef, Activation> kNames[] = {
      {"silu", Activation::SiLU},          {"swish", Activation::SiLU},
      {"relu", Activation::ReLU},          {"gelu", Activation::GELU},
      {"gelu_new", Activation::GELUTanh},  {"gelu_pytorch_tanh", Activation::GELUTanh},
      {"gelu_fast", Activation::GELUTanh}, {"gelu_tanh", Activation::GELUTanh}};
  llvm::SmallVector<llvm::StringRef> accepted;
  for (auto &[name, act] : kNames)
    accepted.push_back(name);
  std::string name = config.getChoice(key, dflt, accepted);
  for (auto &[n, act] : kNames)
    if (n == name)
      return act;
  return std::nullopt;
}

void mlir::tfc::setLMHead(ModelSpec &spec, bool tied,
                          llvm::StringRef untiedName) {
  spec.lmHead = tied ? spec.embedding : untiedName.str();
  // A tied model's checkpoint may still hold the head (falcon's files do,
  // and any save that did not dedupe the tie); HF ties over it.
  if (tied)
    spec.optionalWeights.push_back(untiedName.str());
}

void mlir::tfc::setLlamaStyleEnds(ModelSpec &spec, NormAttr norm, bool tied) {
  spec.baseModelPrefix = "model.";
  spec.embedding = "model.embed_tokens.weight";
  setLMHead(spec, tied, "lm_head.weight");
  spec.finalNorm = NormSpec{norm, "model.norm.weight",
                            norm.getBias() ? "model.norm.bias" : ""};
}

void mlir::tfc::checkExpertInstances(ConfigReader &config,
                                     llvm::StringRef expertsKey,
                                     int64_t experts, int64_t moeLayers) {
  // Both factors are bounded already (limits.h), so the product fits.
  if (experts * moeLayers > limits::kMaxExpertInstances)
    config.error(expertsKey,
                 llvm::formatv("{0} experts in each of {1} MoE layers make {2} "
                               "expert instances; tfc's bound is {3} "
                               "(docs/reliability.md)",
                               experts, moeLayers, experts * moeLayers,
                               limits::kMaxExpertInstances));
}

Aliased mlir::tfc::readAliasedInt(ConfigReader &c,
                                  llvm::ArrayRef<llvm::StringRef> keys,
                                  int64_t dflt, int64_t min) {
  std::optional<int64_t> value;
  llvm::StringRef from = keys.front();
  for (llvm::StringRef key : keys) {
    std::optional<int64_t> v = c.optInt(key, min);
    if (!v)
      continue;
    if (!value) {
      value = v;
      from = key;
    } else if (*v != *value) {
      c.error(key, llvm::formatv("{0} = {1} conflicts with {2} = {3}; both "
                                 "name the same setting",
                                 key, *v, from, *value));
    }
  }
  return {value.value_or(dflt), from};
}

int64_t mlir::tfc::deriveHeadDim(ConfigReader &c, Aliased hidden,
                                 Aliased heads) {
  if (hidden.value % heads.value) {
    c.error(heads.key,
            llvm::formatv("{0} = {1} is not divisible by {2} = {3} and "
                          "head_dim is not given",
                          hidden.key, hidden.value, heads.key, heads.value));
    return 1;
  }
  return hidden.value / heads.value;
}

std::optional<double>
mlir::tfc::readRotaryFraction(ConfigReader &c, BlockBuilder &b,
                              llvm::ArrayRef<llvm::StringRef> keys) {
  // A rope_parameters that is not an object is readHFRope's to report.
  size_t errorsBefore = c.getDiags().errors.size();
  const llvm::json::Object *params = c.optObject("rope_parameters");
  c.getDiags().errors.resize(errorsBefore);
  if (params) {
    ConfigReader p(*params, c.getDiags(), c.where("rope_parameters"));
    if (std::optional<double> fraction = p.optFloat("partial_rotary_factor")) {
      b.origins().bind("fraction", p.where("partial_rotary_factor"));
      c.ignore(keys);
      return fraction;
    }
  }
  std::optional<double> fraction;
  for (llvm::StringRef key : keys) {
    std::optional<double> f = c.optFloat(key);
    if (f && !fraction) {
      fraction = f;
      b.origins().bind("fraction", key);
    }
  }
  return fraction;
}

Sizes mlir::tfc::readSizes(ConfigReader &c, BlockBuilder &b, ModelSpec &spec,
                           const SizeSpellings &s) {
  spec.vocabSize = c.getInt("vocab_size", s.vocab);
  Sizes sizes;
  sizes.hidden = readAliasedInt(c, s.hidden, s.hiddenDefault);
  sizes.layers = readAliasedInt(c, s.layers, s.layersDefault);
  sizes.heads = readAliasedInt(c, s.heads, s.headsDefault);
  spec.hiddenSize = sizes.hidden.value;
  b.origins().bind("heads", sizes.heads.key);
  if (!s.headDimKey.empty() && (s.headDimDefault > 0 || c.has(s.headDimKey))) {
    sizes.headDim = c.getInt(s.headDimKey, s.headDimDefault);
    b.origins().bind("head_dim", s.headDimKey);
    return sizes;
  }
  sizes.headDim = deriveHeadDim(c, sizes.hidden, sizes.heads);
  b.origins().bind("head_dim",
                   (sizes.hidden.key + " / " + sizes.heads.key).str());
  return sizes;
}

AttentionKind mlir::tfc::attentionKind(int64_t heads, int64_t kvHeads) {
  if (kvHeads == heads)
    return AttentionKind::MHA;
  return kvHeads == 1 ? AttentionKind::MQA : AttentionKind::GQA;
}

LayerSpec mlir::tfc::makeLayer(BlockBuilder &b, NormAttr norm,
                               Attribute position, AttentionAttr attention,
                               FFNAttr ffn) {
  MLIRContext *ctx = b.getContext();
  LayerSpec l;
  l.block.setNorm(norm);
  l.block.setPlacement(NormPlacementAttr::get(ctx, NormPlacement::Pre));
  l.block.setShape(BlockShapeAttr::get(ctx, BlockShape::Serial));
  l.block.setPositionEncoding(position);
  l.block.setAttention(attention);
  l.block.setFfn(ffn);
  l.origins = b.snapshot();
  return l;
}

/// The dtype the checkpoint stores: `torch_dtype` (v5 writes `dtype`; HF
/// reads either), f32 when absent. The runtime converts a tensor stored in
/// another float dtype, so this is only the default of what the model reads.
static void readWeightDType(ConfigReader &c, ModelSpec &spec) {
  static const std::pair<llvm::StringRef, WeightDType> kNames[] = {
      {"float32", WeightDType::F32},
      {"bfloat16", WeightDType::BF16},
      {"float16", WeightDType::F16}};
  llvm::SmallVector<llvm::StringRef> accepted;
  for (auto &[name, dtype] : kNames)
    accepted.push_back(name);
  std::optional<std::string> fromTorchDType = c.optString("torch_dtype");
  std::optional<std::string> fromDType = c.optString("dtype");
  if (fromTorchDType && fromDType && *fromTorchDType != *fromDType)
    c.error("dtype", "dtype = \"" + *fromDType +
                         "\" conflicts with torch_dtype = \"" +
                         *fromTorchDType + "\"; both name the stored dtype");
  llvm::StringRef key = fromTorchDType ? "torch_dtype" : "dtype";
  std::string name = c.getChoice(key, "float32", accepted);
  for (auto &[n, dtype] : kNames)
    if (n == name)
      spec.weightDType = dtype;
}

LogicalResult mlir::tfc::readHFConfig(const llvm::json::Object &config,
                                      MLIRContext *context, ModelSpec &spec,
                                      ImportDiagnostics &diags) {
  ConfigReader reader(config, diags);
  std::optional<std::string> modelType = reader.optString("model_type");
  if (!modelType) {
    if (diags.errors.empty())
      reader.error("model_type", "required field is missing (a Hugging Face "
                                 "config.json names its model_type; a tfc "
                                 "model card has \"format\": \"tfc-model-card\")");
    return failure();
  }
  FamilyReader read = nullptr;
  if (llvm::is_contained(getTableFamilies(), *modelType))
    read = readTableFamily;
  for (const SpecialFamily &f : kSpecialFamilies)
    if (f.modelType == *modelType)
      read = f.read;
  if (!read) {
    reader.error("model_type",
                 "unsupported model_type \"" + *modelType + "\"; supported: " +
                     llvm::join(getSupportedModelTypes(), ", "));
    return failure();
  }
  spec.modelType = *modelType;
  ignoreCommonFields(reader);
  BlockBuilder builder(context, diags);
  LogicalResult result = read(reader, builder, spec);
  readWeightDType(reader, spec);
  // Unknown fields are reported even when the import fails: a misspelt key
  // (its default applied instead) is often what caused the error. Readers
  // read every field before they fail, so none is reported wrongly.
  reader.warnUnknown();
  return failure(failed(result) || !diags.errors.empty());
}
