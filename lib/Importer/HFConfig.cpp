//===- HFConfig.cpp - Hugging Face config.json: dispatch and shared parts -===//
#include "Families.h"

#include "tfc/Importer/Limits.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct Family {
  llvm::StringRef modelType;
  FamilyReader read;
};
} // namespace

// In the order the front-end issue lists them.
static const Family kFamilies[] = {
    {"llama", readLlamaLike},      {"mistral", readLlamaLike},
    {"qwen2", readLlamaLike},      {"qwen3", readLlamaLike},
    {"gemma", readGemma},          {"gemma2", readGemma2},
    {"mixtral", readLlamaLike},    {"gpt2", readGPT2},
    {"gpt_neox", readGPTNeoX},     {"phi", readPhi},
    {"falcon", readFalcon},        {"bloom", readBloom},
    {"mpt", readMPT},              {"olmo2", readOlmo2},
    {"starcoder2", readStarcoder2}, {"deepseek_v2", readDeepSeekV2},
};

llvm::ArrayRef<llvm::StringRef> mlir::tfc::getSupportedModelTypes() {
  static const std::vector<llvm::StringRef> types = [] {
    std::vector<llvm::StringRef> list;
    for (const Family &f : kFamilies)
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

void mlir::tfc::readRopeScaling(ConfigReader &config, RopeSpec &rope) {
  const llvm::json::Object *scaling = config.optObject("rope_scaling");
  if (!scaling)
    return;
  ConfigReader sub(*scaling, config.getDiags(), config.where("rope_scaling"));
  std::string type = sub.has("rope_type") ? sub.getString("rope_type", "")
                                          : sub.getString("type", "default");
  sub.ignore({"type", "rope_type"});
  if (type == "default")
    return;
  RopeSpec::Scaling s;
  if (type == "linear") {
    s.kind = RopeScalingKind::Linear;
    s.factor = sub.requireFloat("factor");
  } else if (type == "llama3") {
    s.kind = RopeScalingKind::Llama3;
    s.factor = sub.requireFloat("factor");
    s.lowFreqFactor = sub.requireFloat("low_freq_factor");
    s.highFreqFactor = sub.requireFloat("high_freq_factor");
    s.originalMaxPosition = sub.requireInt("original_max_position_embeddings");
  } else {
    sub.error(sub.has("rope_type") ? "rope_type" : "type",
              "unsupported RoPE scaling \"" + type +
                  "\"; accepted: \"default\", \"linear\", \"llama3\"");
    return;
  }
  sub.warnUnknown();
  rope.scaling = s;
}

void mlir::tfc::setLMHead(ModelSpec &spec, bool tied,
                          llvm::StringRef untiedName) {
  spec.lmHead = tied ? spec.embedding : untiedName.str();
  // A tied model's checkpoint may still hold the head (falcon's files do,
  // and any save that did not dedupe the tie); HF ties over it.
  if (tied)
    spec.optionalWeights.push_back(untiedName.str());
}

void mlir::tfc::setLlamaStyleEnds(ModelSpec &spec, const NormSpec &norm,
                                  bool tied) {
  spec.baseModelPrefix = "model.";
  spec.embedding = "model.embed_tokens.weight";
  setLMHead(spec, tied, "lm_head.weight");
  spec.finalNorm = norm;
  spec.finalNormWeight = "model.norm.weight";
  if (norm.bias)
    spec.finalNormBias = "model.norm.bias";
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

void mlir::tfc::checkHeads(ConfigReader &config, llvm::StringRef headsKey,
                           llvm::StringRef kvHeadsKey, int64_t heads,
                           int64_t kvHeads) {
  if (heads > 0 && kvHeads > 0 && heads % kvHeads)
    config.error(kvHeadsKey,
                 llvm::formatv("{0} = {1} does not divide {2} = {3}",
                               kvHeadsKey, kvHeads, headsKey, heads));
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
                                      ModelSpec &spec,
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
  const Family *family = nullptr;
  for (const Family &f : kFamilies)
    if (f.modelType == *modelType)
      family = &f;
  if (!family) {
    std::string list;
    for (const Family &f : kFamilies)
      list += (list.empty() ? "" : ", ") + f.modelType.str();
    reader.error("model_type", "unsupported model_type \"" + *modelType +
                                   "\"; supported: " + list);
    return failure();
  }
  spec.modelType = *modelType;
  ignoreCommonFields(reader);
  LogicalResult read = family->read(reader, spec);
  readWeightDType(reader, spec);
  // Unknown fields are reported even when the import fails: a misspelt key
  // (its default applied instead) is often what caused the error. Readers
  // read every field before they fail, so none is reported wrongly.
  reader.warnUnknown();
  return failure(failed(read) || !diags.errors.empty());
}
