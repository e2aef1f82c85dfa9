//===- TensorNames.cpp - How a checkpoint names a layer's tensors ---------===//
#include "TensorNames.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
using Role = WeightRoleKind;
using Modules = std::pair<WeightRoleKind, llvm::StringRef>;
} // namespace

// modeling_llama's module names, which mistral, qwen2/3, gemma, olmo2,
// starcoder2 and deepseek_v2 keep for what they share with it.
#define TFC_LLAMA_ATTENTION                                                    \
  {Role::QProj, "self_attn.q_proj"}, {Role::KProj, "self_attn.k_proj"},             \
      {Role::VProj, "self_attn.v_proj"}, {Role::OProj, "self_attn.o_proj"},         \
      {Role::QNorm, "self_attn.q_norm"}, {Role::KNorm, "self_attn.k_norm"}
#define TFC_LLAMA_MLP                                                          \
  {Role::GateProj, "mlp.gate_proj"}, {Role::UpProj, "mlp.up_proj"},                 \
      {Role::DownProj, "mlp.down_proj"}

static const Modules kLlamaModules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::FFNNorm, "post_attention_layernorm"},
    TFC_LLAMA_ATTENTION,
    TFC_LLAMA_MLP};
static const Modules kMixtralModules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::FFNNorm, "post_attention_layernorm"},
    TFC_LLAMA_ATTENTION,
    {Role::Router, "block_sparse_moe.gate"}};
// HF Mixtral: w1 = gate, w3 = up, w2 = down.
static const Modules kMixtralExperts[] = {
    {Role::GateProj, "w1"}, {Role::UpProj, "w3"}, {Role::DownProj, "w2"}};
static const Modules kIdentityExperts[] = {
    {Role::GateProj, "gate_proj"}, {Role::UpProj, "up_proj"},
    {Role::DownProj, "down_proj"}};
static const Modules kDeepSeekV2Modules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::FFNNorm, "post_attention_layernorm"},
    {Role::QProj, "self_attn.q_proj"},
    {Role::QAProj, "self_attn.q_a_proj"},
    {Role::QANorm, "self_attn.q_a_layernorm"},
    {Role::QBProj, "self_attn.q_b_proj"},
    {Role::KVAProj, "self_attn.kv_a_proj_with_mqa"},
    {Role::KVANorm, "self_attn.kv_a_layernorm"},
    {Role::KVBProj, "self_attn.kv_b_proj"},
    {Role::OProj, "self_attn.o_proj"},
    {Role::Router, "mlp.gate"},
    TFC_LLAMA_MLP};
// gemma2 (sandwich): input_layernorm, post_attention_layernorm,
// pre_feedforward_layernorm, post_feedforward_layernorm; olmo2
// (post_sublayer) has the second and the fourth.
static const Modules kSandwichModules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::PostAttnNorm, "post_attention_layernorm"},
    {Role::FFNNorm, "pre_feedforward_layernorm"},
    {Role::PostFFNNorm, "post_feedforward_layernorm"},
    TFC_LLAMA_ATTENTION,
    TFC_LLAMA_MLP};
static const Modules kStarcoder2Modules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::FFNNorm, "post_attention_layernorm"},
    TFC_LLAMA_ATTENTION,
    {Role::UpProj, "mlp.c_fc"},
    {Role::DownProj, "mlp.c_proj"}};
static const Modules kGPT2Modules[] = {
    {Role::AttnNorm, "ln_1"},       {Role::FFNNorm, "ln_2"},
    {Role::QKVProj, "attn.c_attn"}, {Role::OProj, "attn.c_proj"},
    {Role::UpProj, "mlp.c_fc"},     {Role::DownProj, "mlp.c_proj"}};
static const Modules kGPTNeoXModules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::FFNNorm, "post_attention_layernorm"},
    {Role::QKVProj, "attention.query_key_value"},
    {Role::OProj, "attention.dense"},
    {Role::UpProj, "mlp.dense_h_to_4h"},
    {Role::DownProj, "mlp.dense_4h_to_h"}};
// bloom's names, which falcon kept.
#define TFC_BLOOM_PROJECTIONS                                                  \
  {Role::QKVProj, "self_attention.query_key_value"},                             \
      {Role::OProj, "self_attention.dense"}, {Role::UpProj, "mlp.dense_h_to_4h"},   \
      {Role::DownProj, "mlp.dense_4h_to_h"}
static const Modules kBloomModules[] = {
    {Role::AttnNorm, "input_layernorm"},
    {Role::FFNNorm, "post_attention_layernorm"},
    TFC_BLOOM_PROJECTIONS};
static const Modules kFalconTwoNormsModules[] = {
    {Role::AttnNorm, "ln_attn"}, {Role::FFNNorm, "ln_mlp"}, TFC_BLOOM_PROJECTIONS};
static const Modules kPhiModules[] = {
    {Role::AttnNorm, "input_layernorm"}, {Role::QProj, "self_attn.q_proj"},
    {Role::KProj, "self_attn.k_proj"},   {Role::VProj, "self_attn.v_proj"},
    {Role::OProj, "self_attn.dense"},    {Role::UpProj, "mlp.fc1"},
    {Role::DownProj, "mlp.fc2"}};
static const Modules kMPTModules[] = {
    {Role::AttnNorm, "norm_1"},          {Role::FFNNorm, "norm_2"},
    {Role::QKVProj, "attn.Wqkv"},        {Role::OProj, "attn.out_proj"},
    {Role::UpProj, "ffn.up_proj"},       {Role::DownProj, "ffn.down_proj"}};
// docs/model-card.md: block norms at the layer's top level, attention
// roles under attn., feed-forward roles under ffn., experts under moe.
static const Modules kCardModules[] = {
    {Role::AttnNorm, "attn_norm"},
    {Role::FFNNorm, "ffn_norm"},
    {Role::PostAttnNorm, "post_attn_norm"},
    {Role::PostFFNNorm, "post_ffn_norm"},
    {Role::QProj, "attn.q_proj"},
    {Role::KProj, "attn.k_proj"},
    {Role::VProj, "attn.v_proj"},
    {Role::OProj, "attn.o_proj"},
    {Role::RelBias, "attn.rel_bias"},
    {Role::QKVProj, "attn.qkv_proj"},
    {Role::QNorm, "attn.q_norm"},
    {Role::KNorm, "attn.k_norm"},
    {Role::QAProj, "attn.q_a_proj"},
    {Role::QANorm, "attn.q_a_norm"},
    {Role::QBProj, "attn.q_b_proj"},
    {Role::KVAProj, "attn.kv_a_proj"},
    {Role::KVANorm, "attn.kv_a_norm"},
    {Role::KVBProj, "attn.kv_b_proj"},
    {Role::GateProj, "ffn.gate_proj"},
    {Role::UpProj, "ffn.up_proj"},
    {Role::DownProj, "ffn.down_proj"},
    {Role::Router, "moe.router"}};
#undef TFC_LLAMA_ATTENTION
#undef TFC_LLAMA_MLP
#undef TFC_BLOOM_PROJECTIONS

namespace mlir::tfc::layouts {
const TensorLayout kLlama{"model.layers.{i}.", kLlamaModules, "", {}, ""};
const TensorLayout kMixtral{"model.layers.{i}.", kMixtralModules,
                            "block_sparse_moe.experts.{e}.", kMixtralExperts,
                            ""};
const TensorLayout kDeepSeekV2{"model.layers.{i}.", kDeepSeekV2Modules,
                               "mlp.experts.{e}.", kIdentityExperts,
                               "mlp.shared_experts."};
const TensorLayout kSandwich{"model.layers.{i}.", kSandwichModules, "", {}, ""};
const TensorLayout kStarcoder2{"model.layers.{i}.", kStarcoder2Modules, "", {},
                               ""};
const TensorLayout kGPT2{"transformer.h.{i}.", kGPT2Modules, "", {}, ""};
const TensorLayout kGPTNeoX{"gpt_neox.layers.{i}.", kGPTNeoXModules, "", {},
                            ""};
const TensorLayout kBloom{"transformer.h.{i}.", kBloomModules, "", {}, ""};
const TensorLayout kFalconTwoNorms{"transformer.h.{i}.", kFalconTwoNormsModules,
                                   "", {}, ""};
const TensorLayout kPhi{"model.layers.{i}.", kPhiModules, "", {}, ""};
const TensorLayout kMPT{"transformer.blocks.{i}.", kMPTModules, "", {}, ""};
const TensorLayout kCard{"layers.{i}.", kCardModules, "moe.experts.{e}.",
                         kIdentityExperts, "moe.shared."};
} // namespace mlir::tfc::layouts

static std::optional<llvm::StringRef>
lookupModule(llvm::ArrayRef<Modules> modules, WeightRoleKind kind) {
  for (auto &[k, module] : modules)
    if (k == kind)
      return module;
  return std::nullopt;
}

static std::string substitute(llvm::StringRef pattern, llvm::StringRef key,
                              int64_t value) {
  auto [before, after] = pattern.split(key);
  if (before.size() == pattern.size())
    return pattern.str();
  return (before + llvm::Twine(value) + after).str();
}

/// The checkpoint name of `role`, or "" when the layout has no module for it.
static std::string tensorName(WeightRole role, int64_t index,
                              const TensorLayout &layout) {
  // A bias role names the `.bias` of the module of the weight it biases.
  std::optional<WeightRole> biased = role.getBiasedRole();
  WeightRole weight = biased.value_or(role);
  std::string prefix = substitute(layout.layerPrefix, "{i}", index);
  std::optional<llvm::StringRef> module;
  switch (weight.getScope()) {
  case WeightScope::Layer:
    module = lookupModule(layout.modules, weight.getKind());
    break;
  case WeightScope::RoutedExpert:
    if (layout.expertPrefix.empty())
      return "";
    prefix += substitute(layout.expertPrefix, "{e}", weight.getExpert());
    module = lookupModule(layout.expertModules, weight.getKind());
    break;
  case WeightScope::SharedExpert:
    if (layout.sharedPrefix.empty())
      return "";
    prefix += layout.sharedPrefix.str();
    module = lookupModule(layout.expertModules, weight.getKind());
    break;
  }
  if (!module)
    return "";
  return prefix + module->str() + (biased ? ".bias" : ".weight");
}

LogicalResult mlir::tfc::nameLayerWeights(LayerSpec &layer, int64_t hiddenSize,
                                          int64_t index,
                                          const TensorLayout &layout,
                                          ImportDiagnostics &diags) {
  for (auto &[role, shape] :
       DecoderBlockOp::getExpectedWeights(layer.block, hiddenSize)) {
    std::string name = tensorName(role, index, layout);
    if (name.empty()) {
      diags.error(llvm::formatv("layer {0}: the checkpoint layout ({1}) has no "
                                "tensor name for weight role '{2}'",
                                index, layout.layerPrefix, role.str())
                      .str());
      return failure();
    }
    layer.weights[role.str()] = name;
  }
  return success();
}

LogicalResult mlir::tfc::nameLayerWeights(ModelSpec &spec,
                                          const TensorLayout &layout,
                                          ImportDiagnostics &diags) {
  for (auto [index, layer] : llvm::enumerate(spec.layers))
    if (failed(nameLayerWeights(layer, spec.hiddenSize, index, layout, diags)))
      return failure();
  return success();
}
