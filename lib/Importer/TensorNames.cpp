//===- TensorNames.cpp - How a checkpoint names a layer's tensors ---------===//
#include "TensorNames.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
using Modules = std::pair<llvm::StringRef, llvm::StringRef>;
} // namespace

// modeling_llama's module names, which mistral, qwen2/3, gemma, olmo2,
// starcoder2 and deepseek_v2 keep for what they share with it.
#define TFC_LLAMA_ATTENTION                                                    \
  {"q_proj", "self_attn.q_proj"}, {"k_proj", "self_attn.k_proj"},             \
      {"v_proj", "self_attn.v_proj"}, {"o_proj", "self_attn.o_proj"},         \
      {"q_norm", "self_attn.q_norm"}, {"k_norm", "self_attn.k_norm"}
#define TFC_LLAMA_MLP                                                          \
  {"gate_proj", "mlp.gate_proj"}, {"up_proj", "mlp.up_proj"},                 \
      {"down_proj", "mlp.down_proj"}

static const Modules kLlamaModules[] = {
    {"attn_norm", "input_layernorm"},
    {"ffn_norm", "post_attention_layernorm"},
    TFC_LLAMA_ATTENTION,
    TFC_LLAMA_MLP};
static const Modules kMixtralModules[] = {
    {"attn_norm", "input_layernorm"},
    {"ffn_norm", "post_attention_layernorm"},
    TFC_LLAMA_ATTENTION,
    {"router", "block_sparse_moe.gate"}};
// HF Mixtral: w1 = gate, w3 = up, w2 = down.
static const Modules kMixtralExperts[] = {
    {"gate_proj", "w1"}, {"up_proj", "w3"}, {"down_proj", "w2"}};
static const Modules kIdentityExperts[] = {
    {"gate_proj", "gate_proj"}, {"up_proj", "up_proj"},
    {"down_proj", "down_proj"}};
static const Modules kDeepSeekV2Modules[] = {
    {"attn_norm", "input_layernorm"},
    {"ffn_norm", "post_attention_layernorm"},
    {"q_proj", "self_attn.q_proj"},
    {"q_a_proj", "self_attn.q_a_proj"},
    {"q_a_norm", "self_attn.q_a_layernorm"},
    {"q_b_proj", "self_attn.q_b_proj"},
    {"kv_a_proj", "self_attn.kv_a_proj_with_mqa"},
    {"kv_a_norm", "self_attn.kv_a_layernorm"},
    {"kv_b_proj", "self_attn.kv_b_proj"},
    {"o_proj", "self_attn.o_proj"},
    {"router", "mlp.gate"},
    TFC_LLAMA_MLP};
// gemma2 (sandwich): input_layernorm, post_attention_layernorm,
// pre_feedforward_layernorm, post_feedforward_layernorm; olmo2
// (post_sublayer) has the second and the fourth.
static const Modules kSandwichModules[] = {
    {"attn_norm", "input_layernorm"},
    {"post_attn_norm", "post_attention_layernorm"},
    {"ffn_norm", "pre_feedforward_layernorm"},
    {"post_ffn_norm", "post_feedforward_layernorm"},
    TFC_LLAMA_ATTENTION,
    TFC_LLAMA_MLP};
static const Modules kStarcoder2Modules[] = {
    {"attn_norm", "input_layernorm"},
    {"ffn_norm", "post_attention_layernorm"},
    TFC_LLAMA_ATTENTION,
    {"up_proj", "mlp.c_fc"},
    {"down_proj", "mlp.c_proj"}};
static const Modules kGPT2Modules[] = {
    {"attn_norm", "ln_1"},       {"ffn_norm", "ln_2"},
    {"qkv_proj", "attn.c_attn"}, {"o_proj", "attn.c_proj"},
    {"up_proj", "mlp.c_fc"},     {"down_proj", "mlp.c_proj"}};
static const Modules kGPTNeoXModules[] = {
    {"attn_norm", "input_layernorm"},
    {"ffn_norm", "post_attention_layernorm"},
    {"qkv_proj", "attention.query_key_value"},
    {"o_proj", "attention.dense"},
    {"up_proj", "mlp.dense_h_to_4h"},
    {"down_proj", "mlp.dense_4h_to_h"}};
// bloom's names, which falcon kept.
#define TFC_BLOOM_PROJECTIONS                                                  \
  {"qkv_proj", "self_attention.query_key_value"},                             \
      {"o_proj", "self_attention.dense"}, {"up_proj", "mlp.dense_h_to_4h"},   \
      {"down_proj", "mlp.dense_4h_to_h"}
static const Modules kBloomModules[] = {
    {"attn_norm", "input_layernorm"},
    {"ffn_norm", "post_attention_layernorm"},
    TFC_BLOOM_PROJECTIONS};
static const Modules kFalconTwoNormsModules[] = {
    {"attn_norm", "ln_attn"}, {"ffn_norm", "ln_mlp"}, TFC_BLOOM_PROJECTIONS};
static const Modules kPhiModules[] = {
    {"attn_norm", "input_layernorm"}, {"q_proj", "self_attn.q_proj"},
    {"k_proj", "self_attn.k_proj"},   {"v_proj", "self_attn.v_proj"},
    {"o_proj", "self_attn.dense"},    {"up_proj", "mlp.fc1"},
    {"down_proj", "mlp.fc2"}};
static const Modules kMPTModules[] = {
    {"attn_norm", "norm_1"},          {"ffn_norm", "norm_2"},
    {"qkv_proj", "attn.Wqkv"},        {"o_proj", "attn.out_proj"},
    {"up_proj", "ffn.up_proj"},       {"down_proj", "ffn.down_proj"}};
// docs/model-card.md: block norms at the layer's top level, attention
// roles under attn., feed-forward roles under ffn., experts under moe.
static const Modules kCardModules[] = {
    {"attn_norm", "attn_norm"},
    {"ffn_norm", "ffn_norm"},
    {"post_attn_norm", "post_attn_norm"},
    {"post_ffn_norm", "post_ffn_norm"},
    {"q_proj", "attn.q_proj"},
    {"k_proj", "attn.k_proj"},
    {"v_proj", "attn.v_proj"},
    {"o_proj", "attn.o_proj"},
    {"qkv_proj", "attn.qkv_proj"},
    {"q_norm", "attn.q_norm"},
    {"k_norm", "attn.k_norm"},
    {"q_a_proj", "attn.q_a_proj"},
    {"q_a_norm", "attn.q_a_norm"},
    {"q_b_proj", "attn.q_b_proj"},
    {"kv_a_proj", "attn.kv_a_proj"},
    {"kv_a_norm", "attn.kv_a_norm"},
    {"kv_b_proj", "attn.kv_b_proj"},
    {"gate_proj", "ffn.gate_proj"},
    {"up_proj", "ffn.up_proj"},
    {"down_proj", "ffn.down_proj"},
    {"router", "moe.router"}};
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
lookupModule(llvm::ArrayRef<Modules> modules, llvm::StringRef role) {
  for (auto &[r, module] : modules)
    if (r == role)
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

/// The weight role whose bias `role` is ("q_bias" -> "q_proj",
/// "attn_norm_bias" -> "attn_norm"), or "" for a weight role.
static std::string biasOwner(llvm::StringRef role) {
  if (!role.consume_back("_bias"))
    return "";
  return role.ends_with("_norm") ? role.str() : (role + "_proj").str();
}

/// The checkpoint name of `role`, or "" when the layout has no module for it.
static std::string tensorName(llvm::StringRef role, int64_t index,
                              const TensorLayout &layout) {
  // A bias role names the `.bias` of the weight role it belongs to.
  std::string owner = biasOwner(role);
  bool bias = !owner.empty();
  llvm::StringRef weightRole = bias ? llvm::StringRef(owner) : role;
  std::string prefix = substitute(layout.layerPrefix, "{i}", index);
  std::optional<llvm::StringRef> module;
  llvm::StringRef rest = weightRole;
  if (rest.consume_front("expert.")) {
    auto [expert, projection] = rest.split('.');
    int64_t e = 0;
    if (expert.getAsInteger(10, e))
      return "";
    prefix += substitute(layout.expertPrefix, "{e}", e);
    module = lookupModule(layout.expertModules, projection);
    if (layout.expertPrefix.empty())
      return "";
  } else if (rest.consume_front("shared.")) {
    prefix += layout.sharedPrefix.str();
    module = lookupModule(layout.expertModules, rest);
    if (layout.sharedPrefix.empty())
      return "";
  } else {
    module = lookupModule(layout.modules, weightRole);
  }
  if (!module)
    return "";
  return prefix + module->str() + (bias ? ".bias" : ".weight");
}

LogicalResult mlir::tfc::nameLayerWeights(LayerSpec &layer, int64_t hiddenSize,
                                          int64_t index,
                                          const TensorLayout &layout,
                                          ImportDiagnostics &diags) {
  for (auto &[expectedRole, shape] :
       DecoderBlockOp::getExpectedWeights(layer.block, hiddenSize)) {
    std::string role = expectedRole.str();
    std::string name = tensorName(role, index, layout);
    if (name.empty()) {
      diags.error(llvm::formatv("layer {0}: the checkpoint layout ({1}) has no "
                                "tensor name for weight role '{2}'",
                                index, layout.layerPrefix, role)
                      .str());
      return failure();
    }
    layer.weights[role] = name;
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
