//===- LlamaFamily.cpp - llama, mistral, qwen2, qwen3, mixtral ------------===//
//
// The families built on HF's modeling_llama structure: pre-RMSNorm, rotate-half
// RoPE, SwiGLU MLP (or a mixtral sparse MoE), separate q/k/v/o projections.
//
//===----------------------------------------------------------------------===//
#include "Families.h"
#include "RopeParameters.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// The per-family defaults of the HF configuration classes
/// (configuration_<family>.py) for fields the families share.
struct LlamaDefaults {
  int64_t vocab, hidden, intermediate, layers, heads;
  std::optional<int64_t> kvHeads; // nullopt: kv_heads = heads
  double rmsEps, ropeTheta;
  bool qkvBias;
  int64_t maxPositions; // max_position_embeddings
};
} // namespace

static LlamaDefaults defaultsFor(llvm::StringRef type) {
  if (type == "mistral")
    return {32000, 4096, 14336, 32, 32, 8, 1e-6, 10000.0, false, 4096 * 32};
  if (type == "qwen2")
    return {151936, 4096, 22016, 32, 32, 32, 1e-6, 10000.0, true, 32768};
  if (type == "qwen3")
    return {151936, 4096, 22016, 32, 32, 32, 1e-6, 10000.0, false, 32768};
  if (type == "mixtral")
    return {32000, 4096, 14336, 32, 32, 8, 1e-5, 1e6, false, 4096 * 32};
  return {32000, 4096, 11008, 32, 32, std::nullopt, 1e-6, 10000.0, false, 2048};
}

LogicalResult mlir::tfc::readLlamaLike(ConfigReader &c, ModelSpec &spec) {
  llvm::StringRef type = spec.modelType;
  LlamaDefaults d = defaultsFor(type);
  spec.vocabSize = c.getInt("vocab_size", d.vocab);
  spec.hiddenSize = c.getInt("hidden_size", d.hidden);
  int64_t intermediate = c.getInt("intermediate_size", d.intermediate);
  int64_t layers = c.getInt("num_hidden_layers", d.layers);
  int64_t heads = c.getInt("num_attention_heads", d.heads);
  int64_t kvHeads = c.getInt("num_key_value_heads", d.kvHeads.value_or(heads));
  checkHeads(c, "num_attention_heads", "num_key_value_heads", heads, kvHeads);
  // qwen3 defaults head_dim to 128; the others to hidden / heads.
  int64_t defaultHeadDim =
      type == "qwen3" ? 128 : (heads > 0 ? spec.hiddenSize / heads : 0);
  int64_t headDim = c.getInt("head_dim", defaultHeadDim);
  if (!c.has("head_dim") && type != "qwen3" && spec.hiddenSize % heads)
    c.error("num_attention_heads",
            "hidden_size " + std::to_string(spec.hiddenSize) +
                " is not divisible by num_attention_heads " +
                std::to_string(heads) + " and head_dim is not given");
  std::optional<Activation> act = readActivation(c, "hidden_act", "silu");
  double eps = c.getFloat("rms_norm_eps", d.rmsEps);
  bool tied = c.getBool("tie_word_embeddings", false);
  spec.trainedContext = c.getInt("max_position_embeddings", d.maxPositions);

  RopeSpec rope;
  readHFRope(c, rope, d.ropeTheta);
  if (c.has("partial_rotary_factor"))
    rope.fraction = c.getFloat("partial_rotary_factor", 1.0);

  // Biases: llama/mistral/mixtral `attention_bias` covers q, k, v and o;
  // qwen2 always has q/k/v bias and never o (modeling_qwen2 Qwen2Attention).
  bool qkvBias = d.qkvBias, outBias = false;
  if (type == "llama" || type == "qwen3") {
    qkvBias = outBias = c.getBool("attention_bias", false);
  }
  bool mlpBias = type == "llama" ? c.getBool("mlp_bias", false) : false;

  // Sliding windows. mistral/mixtral: every layer when sliding_window is set.
  // qwen2/qwen3: only with use_sliding_window, on layers >= max_window_layers
  // (HF Qwen2Config.layer_types).
  std::optional<int64_t> window;
  int64_t firstSlidingLayer = 0;
  if (type == "mistral" || type == "mixtral") {
    // MistralConfig defaults sliding_window to 4096 (null disables it);
    // MixtralConfig to None.
    window = c.optInt("sliding_window");
    if (type == "mistral" && !c.present("sliding_window"))
      window = 4096;
  } else if (type == "qwen2" || type == "qwen3") {
    bool use = c.getBool("use_sliding_window", false);
    std::optional<int64_t> w = c.optInt("sliding_window");
    int64_t maxWindowLayers = c.getInt("max_window_layers", 28, 0);
    if (use) {
      window = w.value_or(4096);
      firstSlidingLayer = maxWindowLayers;
    }
  }

  std::optional<MoESpec> moe;
  if (type == "mixtral") {
    MoESpec m;
    m.experts = c.getInt("num_local_experts", 8);
    m.topK = c.getInt("num_experts_per_tok", 2);
    m.intermediate = intermediate;
    m.renormalize = true; // HF MixtralSparseMoeBlock: topk weights / sum
    if (m.topK > m.experts)
      c.error("num_experts_per_tok",
              "num_experts_per_tok = " + std::to_string(m.topK) +
                  " exceeds num_local_experts = " + std::to_string(m.experts));
    checkExpertInstances(c, "num_local_experts", m.experts, layers);
    c.ignore({"router_aux_loss_coef", "output_router_logits",
              "router_jitter_noise"});
    moe = m;
  }
  c.ignore({"use_sliding_window", "max_window_layers", "sliding_window",
            "attention_bias", "mlp_bias"});
  if (!act || !c.getDiags().errors.empty())
    return failure();

  setLlamaStyleEnds(spec, NormSpec{NormKind::RMSNorm, eps, std::nullopt, false},
                    tied);
  for (int64_t i = 0; i < layers; ++i) {
    std::string p = "model.layers." + std::to_string(i) + ".";
    LayerSpec l;
    l.norm = *spec.finalNorm;
    l.rope = rope;
    l.attention.heads = heads;
    l.attention.kvHeads = kvHeads;
    l.attention.headDim = headDim;
    l.attention.qkvBias = qkvBias;
    l.attention.outBias = outBias;
    if (window && i >= firstSlidingLayer)
      l.attention.window = window;
    if (type == "qwen3")
      l.attention.qkNorm = QKNorm::PerHead;
    l.ffn = {*act, true, intermediate, mlpBias};
    l.moe = moe;
    auto &w = l.weights;
    w["attn_norm"] = p + "input_layernorm.weight";
    w["ffn_norm"] = p + "post_attention_layernorm.weight";
    for (const char *proj : {"q", "k", "v", "o"}) {
      w[std::string(proj) + "_proj"] = p + "self_attn." + proj + "_proj.weight";
      bool bias = std::string(proj) == "o" ? outBias : qkvBias;
      if (bias)
        w[std::string(proj) + "_bias"] = p + "self_attn." + proj + "_proj.bias";
    }
    if (type == "qwen3") {
      w["q_norm"] = p + "self_attn.q_norm.weight";
      w["k_norm"] = p + "self_attn.k_norm.weight";
    }
    if (moe) {
      // HF Mixtral: w1 = gate, w3 = up, w2 = down.
      w["router"] = p + "block_sparse_moe.gate.weight";
      for (int64_t e = 0; e < moe->experts; ++e) {
        std::string ep = p + "block_sparse_moe.experts." + std::to_string(e);
        std::string role = "expert." + std::to_string(e) + ".";
        w[role + "gate_proj"] = ep + ".w1.weight";
        w[role + "up_proj"] = ep + ".w3.weight";
        w[role + "down_proj"] = ep + ".w2.weight";
      }
    } else {
      for (const char *proj : {"gate", "up", "down"}) {
        w[std::string(proj) + "_proj"] = p + "mlp." + proj + "_proj.weight";
        if (mlpBias)
          w[std::string(proj) + "_bias"] = p + "mlp." + proj + "_proj.bias";
      }
    }
    spec.layers.push_back(std::move(l));
  }
  return success();
}
