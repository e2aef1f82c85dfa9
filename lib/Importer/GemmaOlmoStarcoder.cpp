//===- GemmaOlmoStarcoder.cpp - gemma, gemma2, olmo2, starcoder2 ----------===//
//
// Families whose modeling files follow llama's (separate q/k/v/o projections,
// rotate-half RoPE, `model.` tensor prefix) but change what llama fixes:
// gemma's `1 + w` RMSNorm and scaled embedding, gemma2's sandwich norms and
// soft-caps, olmo2's norms on the sublayer outputs, starcoder2's LayerNorm
// and biased plain MLP. Defaults are those of the HF configuration classes
// (configuration_<family>.py); see docs/families.md sections 6, 7, 14, 15.
//
//===----------------------------------------------------------------------===//
#include "RopeParameters.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// The shape fields every family here reads the same way.
struct Shape {
  int64_t vocab, hidden, intermediate, layers, heads, kvHeads, headDim;
};
} // namespace

/// Reads vocab/hidden/intermediate/layers/heads/kv heads/head_dim with the
/// family's defaults. `dflt.kvHeads <= 0` means "num_attention_heads";
/// `dflt.headDim <= 0` means hidden / heads (then it must divide).
static Shape readShape(ConfigReader &c, ModelSpec &spec, const Shape &dflt) {
  Shape s;
  s.vocab = spec.vocabSize = c.getInt("vocab_size", dflt.vocab);
  s.hidden = spec.hiddenSize = c.getInt("hidden_size", dflt.hidden);
  s.intermediate = c.getInt("intermediate_size", dflt.intermediate);
  s.layers = c.getInt("num_hidden_layers", dflt.layers);
  s.heads = c.getInt("num_attention_heads", dflt.heads);
  s.kvHeads = c.getInt("num_key_value_heads",
                       dflt.kvHeads > 0 ? dflt.kvHeads : s.heads);
  checkHeads(c, "num_attention_heads", "num_key_value_heads", s.heads,
             s.kvHeads);
  if (dflt.headDim > 0) {
    s.headDim = c.getInt("head_dim", dflt.headDim);
  } else {
    if (!c.has("head_dim") && s.heads > 0 && s.hidden % s.heads)
      c.error("num_attention_heads",
              llvm::formatv("hidden_size {0} is not divisible by "
                            "num_attention_heads {1} and head_dim is not given",
                            s.hidden, s.heads));
    s.headDim = c.getInt("head_dim", s.heads > 0 ? s.hidden / s.heads : 1);
  }
  return s;
}

/// The attention projections as llama names them (`<p>self_attn.q_proj...`).
static void llamaAttentionWeights(LayerSpec &l, const std::string &p,
                                  bool bias) {
  for (const char *proj : {"q", "k", "v", "o"}) {
    std::string name = p + "self_attn." + proj + "_proj.";
    l.weights[std::string(proj) + "_proj"] = name + "weight";
    if (bias)
      l.weights[std::string(proj) + "_bias"] = name + "bias";
  }
}

static void llamaMLPWeights(LayerSpec &l, const std::string &p) {
  for (const char *proj : {"gate", "up", "down"})
    l.weights[std::string(proj) + "_proj"] = p + "mlp." + proj + "_proj.weight";
}

/// A layer with the attention fields of `s` and nothing else set.
static LayerSpec attentionLayer(const Shape &s, const RopeSpec &rope,
                                bool bias) {
  LayerSpec l;
  l.rope = rope;
  l.attention.heads = s.heads;
  l.attention.kvHeads = s.kvHeads;
  l.attention.headDim = s.headDim;
  l.attention.qkvBias = l.attention.outBias = bias;
  return l;
}

/// HF gemma/gemma2 `use_bidirectional_attention` (v5) drops the causal mask;
/// every tfc attention is causal.
static void rejectBidirectional(ConfigReader &c) {
  if (c.getBool("use_bidirectional_attention", false))
    c.error("use_bidirectional_attention",
            "bidirectional attention is not supported: tfc decoder blocks "
            "attend causally; accepted: false or null");
}

/// gemma and gemma2: the parts they share (GemmaRMSNorm scales by 1 + w;
/// the embedding is multiplied by sqrt(hidden_size) and the tied LM head
/// reads the unscaled matrix).
static LogicalResult readGemmaFamily(ConfigReader &c, ModelSpec &spec,
                                     bool gemma2) {
  Shape s = readShape(c, spec,
                      gemma2 ? Shape{256000, 2304, 9216, 26, 8, 4, 256}
                             : Shape{256000, 3072, 24576, 28, 16, 16, 256});
  // GemmaConfig / Gemma2Config: max_position_embeddings = 8192.
  spec.trainedContext = c.getInt("max_position_embeddings", 8192);
  double eps = c.getFloat("rms_norm_eps", 1e-6);
  bool bias = c.getBool("attention_bias", false);
  bool tied = c.getBool("tie_word_embeddings", true);
  RopeSpec rope;
  readHFRope(c, rope, 10000.0);
  rejectBidirectional(c);

  std::optional<Activation> act;
  if (gemma2) {
    // Gemma2MLP: ACT2FN[config.hidden_activation]; `hidden_act` is written
    // in published files but never read.
    act = readActivation(c, "hidden_activation", "gelu_pytorch_tanh");
    c.ignore({"hidden_act"});
  } else if (c.has("hidden_activation")) {
    act = readActivation(c, "hidden_activation", "gelu_pytorch_tanh");
    c.ignore({"hidden_act"});
  } else {
    // GemmaMLP from 4.38.2 (PR #29402) to 4.47 ignores `hidden_act` and
    // uses the tanh GELU the model was trained with (Google's gemma_pytorch:
    // F.gelu(gate, approximate="tanh")); gemma-7b's file says "gelu", which
    // 4.38.0/.1 and >= 4.48 (ACT2FN[hidden_act] again) read as the erf GELU.
    act = Activation::GELUTanh;
    std::string written = c.getString("hidden_act", "gelu_pytorch_tanh");
    if (written != "gelu_pytorch_tanh" && written != "gelu_tanh" &&
        written != "gelu_new" && written != "gelu_fast")
      c.getDiags().warning(
          "field '" + c.where("hidden_act") + "': \"" + written +
          "\" is ignored; gemma uses the tanh GELU it was trained with "
          "(HF GemmaMLP 4.38.2-4.47); set hidden_activation to choose "
          "another activation");
  }

  // gemma2 attention: scale query_pre_attn_scalar^-0.5 instead of
  // head_dim^-0.5, tanh soft-cap of the scaled scores before the mask,
  // a sliding window on the layers `layer_types` marks sliding.
  std::optional<double> scale, softcap, finalSoftcap;
  std::optional<int64_t> window;
  std::vector<bool> sliding(s.layers, false);
  if (gemma2) {
    double scalar = c.getFloat("query_pre_attn_scalar", 256.0);
    scale = 1.0 / std::sqrt(scalar);
    softcap = c.present("attn_logit_softcapping")
                  ? c.optFloat("attn_logit_softcapping")
                  : std::optional<double>(50.0);
    finalSoftcap = c.present("final_logit_softcapping")
                       ? c.optFloat("final_logit_softcapping")
                       : std::optional<double>(30.0);
    window = c.present("sliding_window") ? c.optInt("sliding_window")
                                         : std::optional<int64_t>(4096);
    // Gemma2Config.layer_types defaults to "sliding_attention" for even i
    // ((i + 1) % 2); 4.42-4.4x Gemma2Attention: `not bool(layer_idx % 2)`.
    for (int64_t i = 0; i < s.layers; ++i)
      sliding[i] = i % 2 == 0;
    if (const llvm::json::Array *types = c.optArray("layer_types")) {
      if (static_cast<int64_t>(types->size()) != s.layers) {
        c.error("layer_types",
                llvm::formatv("has {0} entries but num_hidden_layers is {1}",
                              types->size(), s.layers));
      } else {
        for (auto [i, v] : llvm::enumerate(*types)) {
          std::optional<llvm::StringRef> t = v.getAsString();
          if (t && (*t == "sliding_attention" || *t == "full_attention")) {
            sliding[i] = *t == "sliding_attention";
            continue;
          }
          c.error(
              "layer_types",
              llvm::formatv("entry {0} is not one of \"sliding_attention\", "
                            "\"full_attention\"",
                            i));
          break;
        }
      }
    }
    c.ignore({"sliding_window_size", "cache_implementation"});
  }
  if (!act || !c.getDiags().errors.empty())
    return failure();

  NormSpec norm{NormKind::RMSNorm, eps, 1.0, false};
  setLlamaStyleEnds(spec, norm, tied);
  // GemmaModel: hidden_states * hidden_size**0.5 (exact in f32).
  spec.embeddingScale = std::sqrt(static_cast<double>(s.hidden));
  spec.finalSoftcap = finalSoftcap;
  for (int64_t i = 0; i < s.layers; ++i) {
    std::string p = "model.layers." + std::to_string(i) + ".";
    LayerSpec l = attentionLayer(s, rope, bias);
    l.norm = norm;
    l.attention.scale = scale;
    l.attention.softcap = softcap;
    if (sliding[i])
      l.attention.window = window;
    l.ffn = {*act, /*gated=*/true, s.intermediate, /*bias=*/false};
    llamaAttentionWeights(l, p, bias);
    llamaMLPWeights(l, p);
    l.weights["attn_norm"] = p + "input_layernorm.weight";
    if (gemma2) {
      // x + post_attention_layernorm(attn(input_layernorm(x))), then
      // h + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h))).
      l.placement = NormPlacement::Sandwich;
      l.weights["post_attn_norm"] = p + "post_attention_layernorm.weight";
      l.weights["ffn_norm"] = p + "pre_feedforward_layernorm.weight";
      l.weights["post_ffn_norm"] = p + "post_feedforward_layernorm.weight";
    } else {
      l.weights["ffn_norm"] = p + "post_attention_layernorm.weight";
    }
    spec.layers.push_back(std::move(l));
  }
  return success();
}

LogicalResult mlir::tfc::readGemma(ConfigReader &c, ModelSpec &spec) {
  return readGemmaFamily(c, spec, /*gemma2=*/false);
}

LogicalResult mlir::tfc::readGemma2(ConfigReader &c, ModelSpec &spec) {
  return readGemmaFamily(c, spec, /*gemma2=*/true);
}

LogicalResult mlir::tfc::readOlmo2(ConfigReader &c, ModelSpec &spec) {
  Shape s = readShape(c, spec, Shape{50304, 4096, 11008, 32, 32, 0, 0});
  spec.trainedContext = c.getInt("max_position_embeddings", 2048);
  double eps = c.getFloat("rms_norm_eps", 1e-5);
  bool bias = c.getBool("attention_bias", false);
  bool tied = c.getBool("tie_word_embeddings", false);
  std::optional<Activation> act = readActivation(c, "hidden_act", "silu");
  RopeSpec rope;
  readHFRope(c, rope, 10000.0);
  if (!act || !c.getDiags().errors.empty())
    return failure();

  NormSpec norm{NormKind::RMSNorm, eps, std::nullopt, false};
  setLlamaStyleEnds(spec, norm, tied);
  for (int64_t i = 0; i < s.layers; ++i) {
    std::string p = "model.layers." + std::to_string(i) + ".";
    LayerSpec l = attentionLayer(s, rope, bias);
    l.norm = norm;
    // Olmo2DecoderLayer: h = x + post_attention_layernorm(attn(x)),
    // y = h + post_feedforward_layernorm(mlp(h)); no input norm.
    l.placement = NormPlacement::PostSublayer;
    // Olmo2Attention: q_norm / k_norm are RMSNorms over the whole q / k
    // projection ([H*hd] / [KV*hd]) before the head split and RoPE.
    l.attention.qkNorm = QKNorm::Full;
    l.ffn = {*act, /*gated=*/true, s.intermediate, /*bias=*/false};
    llamaAttentionWeights(l, p, bias);
    llamaMLPWeights(l, p);
    l.weights["q_norm"] = p + "self_attn.q_norm.weight";
    l.weights["k_norm"] = p + "self_attn.k_norm.weight";
    l.weights["post_attn_norm"] = p + "post_attention_layernorm.weight";
    l.weights["post_ffn_norm"] = p + "post_feedforward_layernorm.weight";
    spec.layers.push_back(std::move(l));
  }
  return success();
}

LogicalResult mlir::tfc::readStarcoder2(ConfigReader &c, ModelSpec &spec) {
  Shape s = readShape(c, spec, Shape{49152, 3072, 12288, 30, 24, 2, 0});
  spec.trainedContext = c.getInt("max_position_embeddings", 4096);
  // The key is norm_epsilon; `layer_norm_epsilon`, `norm_type` and
  // `mlp_type` are BigCode leftovers HF never reads.
  double eps = c.getFloat("norm_epsilon", 1e-5);
  bool bias = c.getBool("use_bias", true);
  bool tied = c.getBool("tie_word_embeddings", true);
  std::optional<Activation> act =
      readActivation(c, "hidden_act", "gelu_pytorch_tanh");
  RopeSpec rope;
  readHFRope(c, rope, 10000.0);
  // Starcoder2Config.sliding_window defaults to None; when set it applies to
  // every layer.
  std::optional<int64_t> window = c.optInt("sliding_window");
  c.ignore({"layer_norm_epsilon", "norm_type", "mlp_type", "residual_dropout",
            "embedding_dropout"});
  if (!act || !c.getDiags().errors.empty())
    return failure();

  // nn.LayerNorm always has a bias; `use_bias` covers the linear layers:
  // q, k, v, o, c_fc and c_proj.
  NormSpec norm{NormKind::LayerNorm, eps, std::nullopt, /*bias=*/true};
  setLlamaStyleEnds(spec, norm, tied);
  for (int64_t i = 0; i < s.layers; ++i) {
    std::string p = "model.layers." + std::to_string(i) + ".";
    LayerSpec l = attentionLayer(s, rope, bias);
    l.norm = norm;
    l.attention.window = window;
    // Starcoder2MLP: c_proj(act(c_fc(x))), not gated.
    l.ffn = {*act, /*gated=*/false, s.intermediate, bias};
    llamaAttentionWeights(l, p, bias);
    auto &w = l.weights;
    w["attn_norm"] = p + "input_layernorm.weight";
    w["attn_norm_bias"] = p + "input_layernorm.bias";
    w["ffn_norm"] = p + "post_attention_layernorm.weight";
    w["ffn_norm_bias"] = p + "post_attention_layernorm.bias";
    w["up_proj"] = p + "mlp.c_fc.weight";
    w["down_proj"] = p + "mlp.c_proj.weight";
    if (bias) {
      w["up_bias"] = p + "mlp.c_fc.bias";
      w["down_bias"] = p + "mlp.c_proj.bias";
    }
    spec.layers.push_back(std::move(l));
  }
  return success();
}
