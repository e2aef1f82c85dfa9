//===- HFFamilies.cpp - The family table and its generic reader -----------===//
//
// The families built on HF modeling_llama's structure (separate q/k/v/o
// projections, rotate-half RoPE, `model.` prefix) differ in defaults, field
// spellings, norms, biases and tensor names: a row each. What a family adds
// beyond those (sliding-window rules, gemma2's soft-caps, mixtral's experts,
// stablelm's parallel residual) is a short hook that says why. Defaults are
// those of the HF configuration classes (configuration_<family>.py);
// docs/families.md gives the computation and the tensor names.
//
//===----------------------------------------------------------------------===//
#include "Families.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// Which config fields give the projections biases.
enum class Biases {
  None,          // mistral, mixtral
  AttentionBias, // `attention_bias`: q, k, v and o (llama, qwen3, gemma, olmo2)
  QKVAlways,     // q, k, v always, o never (qwen2: Qwen2Attention)
  UseBias,       // `use_bias`: every linear, MLP included (starcoder2)
  UseQKVBias,    // `use_qkv_bias`: q, k, v (stablelm)
};

struct FamilyRow;

/// What the shared fields said, for a hook to extend before the layers are
/// built.
struct FamilyState {
  FamilyState(ConfigReader &c, BlockBuilder &b, ModelSpec &spec,
              const FamilyRow &row)
      : c(c), b(b), spec(spec), row(row) {}

  ConfigReader &c;
  BlockBuilder &b;
  ModelSpec &spec;
  const FamilyRow &row;
  int64_t layers = 0, heads = 0, kvHeads = 0, headDim = 0, intermediate = 0;
  std::optional<Activation> activation;
  bool qkvBias = false, outBias = false, mlpBias = false;
  std::optional<double> scale, softcap;
  /// The sliding window of each layer (nullopt: full attention).
  std::vector<std::optional<int64_t>> windows;
  MoEAttr moe;
  BlockShape shape = BlockShape::Serial;
  bool sharedNorm = false;
  const TensorLayout *layout = nullptr;
};

struct FamilyRow {
  llvm::StringRef modelType;
  // Defaults of the HF configuration class.
  int64_t vocab, hidden, intermediate, layers, heads;
  int64_t kvHeads; // 0: num_attention_heads
  int64_t headDim; // 0: hidden_size / num_attention_heads
  int64_t maxPositions;
  double eps, ropeTheta;
  llvm::StringRef activation; // "" : the hook reads it
  bool tied;
  // The block.
  llvm::StringRef epsKey;
  NormKind norm;
  bool normBias;
  std::optional<double> normOffset;
  NormPlacement placement;
  QKNorm qkNorm;
  bool gated;
  Biases biases;
  /// The partial rotary fraction's default (partial_rotary_factor is read
  /// by every family of the table; 1: all dims).
  double rotaryFraction;
  /// gemma: the embedding is multiplied by sqrt(hidden_size).
  bool scaleEmbedding;
  const TensorLayout &layout;
  /// The fields this family adds; null when none.
  LogicalResult (*extend)(FamilyState &);
};
} // namespace

//===----------------------------------------------------------------------===//
// Hooks
//===----------------------------------------------------------------------===//

/// Every layer gets `sliding_window` when set (null disables it); absent,
/// `dflt` (MistralConfig: 4096; MixtralConfig, Starcoder2Config: None).
static void readWindowOnEveryLayer(FamilyState &s,
                                   std::optional<int64_t> dflt) {
  std::optional<int64_t> window = s.c.present("sliding_window")
                                      ? s.c.optInt("sliding_window")
                                      : dflt;
  s.b.origins().bind("window", "sliding_window");
  s.windows.assign(s.layers, window);
}

static LogicalResult extendMistral(FamilyState &s) {
  readWindowOnEveryLayer(s, 4096);
  return success();
}

static LogicalResult extendStarcoder2(FamilyState &s) {
  readWindowOnEveryLayer(s, std::nullopt);
  // `layer_norm_epsilon`, `norm_type` and `mlp_type` are BigCode leftovers
  // HF never reads.
  s.c.ignore({"layer_norm_epsilon", "norm_type", "mlp_type",
              "residual_dropout", "embedding_dropout"});
  return success();
}

/// qwen2/qwen3: a window only with use_sliding_window, on the layers from
/// max_window_layers on (HF Qwen2Config.layer_types).
static LogicalResult extendQwen(FamilyState &s) {
  bool use = s.c.getBool("use_sliding_window", false);
  std::optional<int64_t> window = s.c.optInt("sliding_window");
  int64_t first = s.c.getInt("max_window_layers", 28, 0);
  s.b.origins().bind("window", "sliding_window");
  s.windows.assign(s.layers, std::nullopt);
  if (use)
    for (int64_t i = first; i < s.layers; ++i)
      s.windows[i] = window.value_or(4096);
  return success();
}

/// mixtral: a sparse MoE of num_local_experts SwiGLU experts, top-k routed,
/// the chosen weights renormalised (HF MixtralSparseMoeBlock: topk / sum).
static LogicalResult extendMixtral(FamilyState &s) {
  readWindowOnEveryLayer(s, std::nullopt);
  int64_t experts = s.c.getInt("num_local_experts", 8);
  int64_t topK = s.c.getInt("num_experts_per_tok", 2);
  FieldOrigins &o = s.b.origins();
  o.bind("experts", "num_local_experts");
  o.bind("top_k", "num_experts_per_tok");
  o.bind("moe.intermediate", "intermediate_size");
  checkExpertInstances(s.c, "num_local_experts", experts, s.layers);
  s.c.ignore({"router_aux_loss_coef", "output_router_logits",
              "router_jitter_noise"});
  if (!s.c.getDiags().errors.empty())
    return failure();
  s.moe = s.b.get<MoEAttr>("moe", experts, topK, s.intermediate, int64_t(0),
                           int64_t(0), /*renormalize=*/true, noF64());
  s.layout = &layouts::kMixtral;
  return success(static_cast<bool>(s.moe));
}

/// HF gemma/gemma2 `use_bidirectional_attention` (v5) drops the causal mask;
/// every tfc attention is causal.
static void rejectBidirectional(ConfigReader &c) {
  if (c.getBool("use_bidirectional_attention", false))
    c.error("use_bidirectional_attention",
            "bidirectional attention is not supported: tfc decoder blocks "
            "attend causally; accepted: false or null");
}

static LogicalResult extendGemma(FamilyState &s) {
  rejectBidirectional(s.c);
  ConfigReader &c = s.c;
  if (c.has("hidden_activation")) {
    s.activation = readActivation(c, "hidden_activation", "gelu_pytorch_tanh");
    c.ignore({"hidden_act"});
    return success();
  }
  // GemmaMLP from 4.38.2 (PR #29402) to 4.47 ignores `hidden_act` and uses
  // the tanh GELU the model was trained with (Google's gemma_pytorch:
  // F.gelu(gate, approximate="tanh")); gemma-7b's file says "gelu", which
  // 4.38.0/.1 and >= 4.48 (ACT2FN[hidden_act] again) read as the erf GELU.
  s.activation = Activation::GELUTanh;
  std::string written = c.getString("hidden_act", "gelu_pytorch_tanh");
  if (written != "gelu_pytorch_tanh" && written != "gelu_tanh" &&
      written != "gelu_new" && written != "gelu_fast")
    c.getDiags().warning(
        "field '" + c.where("hidden_act") + "': \"" + written +
        "\" is ignored; gemma uses the tanh GELU it was trained with "
        "(HF GemmaMLP 4.38.2-4.47); set hidden_activation to choose "
        "another activation");
  return success();
}

/// gemma2: scores scaled by query_pre_attn_scalar^-0.5 instead of
/// head_dim^-0.5 and tanh soft-capped before the mask, the logits
/// soft-capped, a sliding window on the layers `layer_types` marks.
static LogicalResult extendGemma2(FamilyState &s) {
  ConfigReader &c = s.c;
  rejectBidirectional(c);
  // Gemma2MLP: ACT2FN[config.hidden_activation]; `hidden_act` is written in
  // published files but never read.
  s.activation = readActivation(c, "hidden_activation", "gelu_pytorch_tanh");
  c.ignore({"hidden_act"});
  double scalar = c.getFloat("query_pre_attn_scalar", 256.0);
  s.scale = 1.0 / std::sqrt(scalar);
  s.softcap = c.present("attn_logit_softcapping")
                  ? c.optFloat("attn_logit_softcapping")
                  : std::optional<double>(50.0);
  s.spec.finalSoftcap = c.present("final_logit_softcapping")
                            ? c.optFloat("final_logit_softcapping")
                            : std::optional<double>(30.0);
  std::optional<int64_t> window = c.present("sliding_window")
                                      ? c.optInt("sliding_window")
                                      : std::optional<int64_t>(4096);
  FieldOrigins &o = s.b.origins();
  o.bind("scale", "query_pre_attn_scalar");
  o.bind("softcap", "attn_logit_softcapping");
  o.bind("window", "sliding_window");
  // Gemma2Config.layer_types defaults to "sliding_attention" for even i
  // ((i + 1) % 2); 4.42-4.4x Gemma2Attention: `not bool(layer_idx % 2)`.
  std::vector<bool> sliding(s.layers);
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
        c.error("layer_types",
                llvm::formatv("entry {0} is not one of \"sliding_attention\", "
                              "\"full_attention\"",
                              i));
        break;
      }
    }
  }
  s.windows.assign(s.layers, std::nullopt);
  for (int64_t i = 0; i < s.layers; ++i)
    if (sliding[i])
      s.windows[i] = window;
  c.ignore({"sliding_window_size", "cache_implementation"});
  return success();
}

/// stablelm: with use_parallel_residual one input_layernorm feeds both
/// sublayers and there is no post_attention_layernorm (StableLmDecoderLayer).
static LogicalResult extendStableLM(FamilyState &s) {
  ConfigReader &c = s.c;
  if (c.getBool("use_parallel_residual", false)) {
    s.shape = BlockShape::Parallel;
    s.sharedNorm = true;
    s.b.origins().bind("shape", "use_parallel_residual");
  }
  // StableLmAttention: q_layernorm / k_layernorm are per-head LayerNorms
  // with a weight (and bias) for each head; tfc's qk_norm is one RMSNorm.
  if (c.getBool("qk_layernorm", false))
    c.error("qk_layernorm",
            "qk_layernorm = true is not supported: stablelm normalises each "
            "head with a LayerNorm of its own, and tfc's qk_norm is one "
            "RMSNorm shared by the heads; accepted: false");
  return success();
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

// clang-format off
static const FamilyRow kFamilyTable[] = {
  // model_type   vocab   hidden intermed. layers heads kv hd  max_pos
  //   eps   rope_theta  activation  tied
  //   eps key  norm  bias offset  placement  qk_norm  gated  biases
  //   rotary  scale_emb  layout  hook
  {"llama",      32000,  4096, 11008, 32, 32, 0,  0,   2048,
     1e-6, 10000.0, "silu", false,
     "rms_norm_eps", NormKind::RMSNorm, false, std::nullopt, NormPlacement::Pre,
     QKNorm::None, true, Biases::AttentionBias,
     1.0, false, layouts::kLlama, nullptr},
  {"mistral",    32000,  4096, 14336, 32, 32, 8,  0,   4096 * 32,
     1e-6, 10000.0, "silu", false,
     "rms_norm_eps", NormKind::RMSNorm, false, std::nullopt, NormPlacement::Pre,
     QKNorm::None, true, Biases::None,
     1.0, false, layouts::kLlama, extendMistral},
  {"qwen2",      151936, 4096, 22016, 32, 32, 32, 0,   32768,
     1e-6, 10000.0, "silu", false,
     "rms_norm_eps", NormKind::RMSNorm, false, std::nullopt, NormPlacement::Pre,
     QKNorm::None, true, Biases::QKVAlways,
     1.0, false, layouts::kLlama, extendQwen},
  // qwen3 defaults head_dim to 128 and normalises each head's q and k.
  {"qwen3",      151936, 4096, 22016, 32, 32, 32, 128, 32768,
     1e-6, 10000.0, "silu", false,
     "rms_norm_eps", NormKind::RMSNorm, false, std::nullopt, NormPlacement::Pre,
     QKNorm::PerHead, true, Biases::AttentionBias,
     1.0, false, layouts::kLlama, extendQwen},
  // GemmaRMSNorm scales by 1 + w; the embedding is multiplied by
  // sqrt(hidden_size) and the tied LM head reads the unscaled matrix.
  {"gemma",      256000, 3072, 24576, 28, 16, 16, 256, 8192,
     1e-6, 10000.0, "", true,
     "rms_norm_eps", NormKind::RMSNorm, false, 1.0, NormPlacement::Pre,
     QKNorm::None, true, Biases::AttentionBias,
     1.0, true, layouts::kLlama, extendGemma},
  // x + post_attention_layernorm(attn(input_layernorm(x))), then
  // h + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h))).
  {"gemma2",     256000, 2304, 9216,  26, 8,  4,  256, 8192,
     1e-6, 10000.0, "", true,
     "rms_norm_eps", NormKind::RMSNorm, false, 1.0, NormPlacement::Sandwich,
     QKNorm::None, true, Biases::AttentionBias,
     1.0, true, layouts::kSandwich, extendGemma2},
  {"mixtral",    32000,  4096, 14336, 32, 32, 8,  0,   4096 * 32,
     1e-5, 1e6, "silu", false,
     "rms_norm_eps", NormKind::RMSNorm, false, std::nullopt, NormPlacement::Pre,
     QKNorm::None, true, Biases::None,
     1.0, false, layouts::kMixtral, extendMixtral},
  // Olmo2DecoderLayer: h = x + post_attention_layernorm(attn(x)),
  // y = h + post_feedforward_layernorm(mlp(h)); q_norm / k_norm are RMSNorms
  // over the whole q / k projection before the head split and RoPE.
  {"olmo2",      50304,  4096, 11008, 32, 32, 0,  0,   2048,
     1e-5, 10000.0, "silu", false,
     "rms_norm_eps", NormKind::RMSNorm, false, std::nullopt,
     NormPlacement::PostSublayer, QKNorm::Full, true, Biases::AttentionBias,
     1.0, false, layouts::kSandwich, nullptr},
  // nn.LayerNorm always has a bias; use_bias covers q, k, v, o, c_fc and
  // c_proj; Starcoder2MLP is c_proj(act(c_fc(x))), not gated.
  {"starcoder2", 49152,  3072, 12288, 30, 24, 2,  0,   4096,
     1e-5, 10000.0, "gelu_pytorch_tanh", true,
     "norm_epsilon", NormKind::LayerNorm, true, std::nullopt, NormPlacement::Pre,
     QKNorm::None, false, Biases::UseBias,
     1.0, false, layouts::kStarcoder2, extendStarcoder2},
  // StableLmDecoderLayer: nn.LayerNorm (with bias), a quarter of each head
  // rotated, SwiGLU MLP without biases (StableLmMLP).
  {"stablelm",   50304,  2560, 6912,  32, 32, 32, 0,   4096,
     1e-5, 10000.0, "silu", false,
     "layer_norm_eps", NormKind::LayerNorm, true, std::nullopt,
     NormPlacement::Pre, QKNorm::None, true, Biases::UseQKVBias,
     0.25, false, layouts::kLlama, extendStableLM},
};
// clang-format on

llvm::ArrayRef<llvm::StringRef> mlir::tfc::getTableFamilies() {
  static const std::vector<llvm::StringRef> types = [] {
    std::vector<llvm::StringRef> list;
    for (const FamilyRow &row : kFamilyTable)
      list.push_back(row.modelType);
    return list;
  }();
  return types;
}

//===----------------------------------------------------------------------===//
// The reader
//===----------------------------------------------------------------------===//

/// The shared fields: sizes, heads, norm eps, activation, biases.
static void readSharedFields(FamilyState &s) {
  ConfigReader &c = s.c;
  const FamilyRow &row = s.row;
  FieldOrigins &o = s.b.origins();
  Sizes sizes = readSizes(c, s.b, s.spec,
                          {row.vocab, {"hidden_size"}, row.hidden,
                           {"num_hidden_layers"}, row.layers,
                           {"num_attention_heads"}, row.heads, "head_dim",
                           row.headDim});
  s.layers = sizes.layers.value;
  s.heads = sizes.heads.value;
  s.headDim = sizes.headDim;
  s.intermediate = c.getInt("intermediate_size", row.intermediate);
  s.kvHeads = c.getInt("num_key_value_heads",
                       row.kvHeads > 0 ? row.kvHeads : s.heads);
  s.spec.trainedContext = c.getInt("max_position_embeddings", row.maxPositions);
  o.bind("kv_heads", "num_key_value_heads");
  o.bind("intermediate", "intermediate_size");
  o.bind("eps", row.epsKey);
  if (!row.activation.empty())
    s.activation = readActivation(c, "hidden_act", row.activation);

  switch (row.biases) {
  case Biases::None:
    break;
  case Biases::AttentionBias:
    s.qkvBias = s.outBias = c.getBool("attention_bias", false);
    break;
  case Biases::QKVAlways:
    s.qkvBias = true;
    break;
  case Biases::UseBias:
    s.qkvBias = s.outBias = s.mlpBias = c.getBool("use_bias", true);
    break;
  case Biases::UseQKVBias:
    s.qkvBias = c.getBool("use_qkv_bias", false);
    break;
  }
  // HF LlamaMLP: bias=config.mlp_bias.
  if (row.modelType == "llama")
    s.mlpBias = c.getBool("mlp_bias", false);
  c.ignore({"attention_bias", "mlp_bias", "use_sliding_window",
            "max_window_layers", "sliding_window"});
  s.windows.assign(s.layers, std::nullopt);
}

LogicalResult mlir::tfc::readTableFamily(ConfigReader &c, BlockBuilder &b,
                                         ModelSpec &spec) {
  const FamilyRow *row = nullptr;
  for (const FamilyRow &r : kFamilyTable)
    if (r.modelType == spec.modelType)
      row = &r;
  assert(row && "readTableFamily called for a model type not in the table");
  FamilyState s(c, b, spec, *row);
  s.layout = &row->layout;
  readSharedFields(s);
  double eps = c.getFloat(row->epsKey, row->eps);
  bool tied = c.getBool("tie_word_embeddings", row->tied);

  RopeDefaults rope;
  rope.theta = row->ropeTheta;
  double fraction = readRotaryFraction(c, b, {"partial_rotary_factor"})
                        .value_or(row->rotaryFraction);
  if (fraction != 1.0)
    rope.fraction = fraction;

  if (row->extend && failed(row->extend(s)))
    return failure();
  RopeAttr position = readHFRope(c, b, rope);
  if (!s.activation || !c.getDiags().errors.empty() || !position)
    return failure();

  MLIRContext *ctx = b.getContext();
  NormAttr norm = b.get<NormAttr>("norm", row->norm, f64(eps),
                                  optF64(row->normOffset), row->normBias);
  FFNAttr ffn = b.get<FFNAttr>("ffn", *s.activation, row->gated,
                               s.intermediate, s.mlpBias);
  if (!norm || !ffn)
    return failure();
  setLlamaStyleEnds(spec, norm, tied);
  if (row->scaleEmbedding)
    spec.embeddingScale = std::sqrt(static_cast<double>(spec.hiddenSize));

  // One attention attribute per distinct window.
  std::map<std::optional<int64_t>, AttentionAttr> attentions;
  for (int64_t i = 0; i < s.layers; ++i) {
    AttentionAttr &attention = attentions[s.windows[i]];
    if (!attention)
      attention = b.get<AttentionAttr>(
          "attention", attentionKind(s.heads, s.kvHeads), s.heads, s.kvHeads,
          s.headDim, optF64(s.scale), s.windows[i], optF64(s.softcap),
          row->qkNorm, s.qkvBias, s.outBias, noF64(), MLAAttr());
    if (!attention)
      return failure();
    LayerSpec l = makeLayer(b, norm, position, attention, ffn);
    l.block.setPlacement(NormPlacementAttr::get(ctx, row->placement));
    l.block.setShape(BlockShapeAttr::get(ctx, s.shape));
    if (s.sharedNorm)
      l.block.setSharedNorm(UnitAttr::get(ctx));
    if (s.moe)
      l.block.setMoe(s.moe);
    spec.layers.push_back(std::move(l));
  }
  return nameLayerWeights(spec, *s.layout, c.getDiags());
}
