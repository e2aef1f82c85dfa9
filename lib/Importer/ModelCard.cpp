//===- ModelCard.cpp - tfc's own model card -> ModelSpec ------------------===//
//
// A model card names every architectural choice on its own
// (docs/model-card.md), so a card can combine what no Hugging Face family
// combines. The `block` object describes a decoder layer; an optional `layers`
// pattern overrides parts of it layer by layer. Weight names follow from the
// roles of tfc.decoder_block, so a card never lists tensor names.
//
//===----------------------------------------------------------------------===//
#include "ConfigReader.h"

#include "tfc/Importer/Limits.h"

#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// A mixture of experts as written; absent counts get their defaults in
/// CardReader::finish.
struct MoEDraft {
  std::optional<int64_t> experts, topK, intermediate, sharedIntermediate;
  int64_t shared = 0;
  bool renormalize = false;
  std::optional<double> routedScale;
};

/// A decoder block as the card states it. The base `block` and then each
/// `layers` entry apply onto a copy, so every field keeps what an earlier
/// object said unless the later one says otherwise; optionals stay unset
/// until CardReader::finish fills the derived defaults.
struct BlockDraft {
  NormSpec norm{NormKind::RMSNorm, 1e-5, std::nullopt, false};
  NormPlacement placement = NormPlacement::Pre;
  std::optional<double> deepnormAlpha;
  BlockShape shape = BlockShape::Serial;
  bool sharedNorm = false;
  PositionKind position = PositionKind::Rope;
  RopeSpec rope;
  double alibiMaxBias = 8.0;
  std::optional<int64_t> heads, kvHeads, headDim, window;
  std::optional<double> scale, softcap, clipQkv;
  QKNorm qkNorm = QKNorm::None;
  bool qkvBias = false, outBias = false;
  std::optional<MLASpec> mla;
  Activation activation = Activation::SiLU;
  bool gated = true;
  std::optional<int64_t> intermediate;
  bool ffnBias = false;
  std::optional<MoEDraft> moe;
};

class CardReader {
public:
  explicit CardReader(ImportDiagnostics &diags) : diags(diags) {}

  LogicalResult read(const llvm::json::Object &card, ModelSpec &spec);

private:
  /// Reads `key` as a nested object with its own reader (unknown fields
  /// warn); calls `fn` on it. A non-object is an error.
  template <typename Fn>
  void nested(ConfigReader &r, llvm::StringRef key, Fn fn) {
    if (const llvm::json::Object *o = r.optObject(key)) {
      ConfigReader sub(*o, diags, r.where(key));
      fn(sub);
      sub.warnUnknown();
    }
  }
  void applyBlock(const llvm::json::Object &o, ConfigReader &r, BlockDraft &d);
  void applyNorm(ConfigReader &r, NormSpec &n);
  void applyPosition(const llvm::json::Object &o, ConfigReader &r,
                     BlockDraft &d);
  void applyRope(ConfigReader &r, RopeSpec &rope);
  void applyAttention(ConfigReader &r, BlockDraft &d);
  void applyMLA(ConfigReader &r, MLASpec &mla);
  void applyFFN(ConfigReader &r, BlockDraft &d);
  void applyMoE(ConfigReader &r, MoEDraft &m);
  /// Fills derived defaults and checks that the fields agree; `where` names
  /// the object the layer comes from ("block", "layers[2]").
  std::optional<LayerSpec> finish(const BlockDraft &d, llvm::StringRef where);
  std::optional<NormSpec> readNormChoice(const llvm::json::Object &o,
                                         ConfigReader &r, llvm::StringRef key,
                                         const NormSpec &blockNorm, bool dflt);
  void error(llvm::StringRef where, llvm::StringRef field,
             const llvm::Twine &msg) {
    diags.error("field '" + where + "." + field + "': " + msg);
  }

  ImportDiagnostics &diags;
  int64_t hidden = 0;
};
} // namespace

//===----------------------------------------------------------------------===//
// Field readers
//===----------------------------------------------------------------------===//

/// A JSON value for an error message.
static std::string describe(const llvm::json::Value &value) {
  std::string text;
  llvm::raw_string_ostream(text) << value;
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

/// `key: null` clears an optional setting (in a layer entry: "no window on
/// these layers"). Marks the key as read.
static bool isNull(ConfigReader &r, llvm::StringRef key) {
  return r.present(key) && !r.has(key);
}

/// A tfc enum by its dialect spelling (`#tfc.norm_placement<deep_norm>` is
/// written "deep_norm"); the error lists every spelling.
template <typename E>
static void readEnum(ConfigReader &r, llvm::StringRef key, E &value,
                     unsigned maxValue) {
  llvm::SmallVector<llvm::StringRef> names;
  for (unsigned i = 0; i <= maxValue; ++i)
    names.push_back(stringifyEnum(static_cast<E>(i)));
  std::string name = r.getChoice(key, stringifyEnum(value), names);
  if (std::optional<E> e = symbolizeEnum<E>(name))
    value = *e;
}

static void readOptFloat(ConfigReader &r, llvm::StringRef key,
                         std::optional<double> &slot) {
  if (isNull(r, key))
    slot.reset();
  else if (std::optional<double> v = r.optFloat(key))
    slot = v;
}

static void readOptInt(ConfigReader &r, llvm::StringRef key,
                       std::optional<int64_t> &slot, int64_t min = 1) {
  if (isNull(r, key))
    slot.reset();
  else if (std::optional<int64_t> v = r.optInt(key, min))
    slot = v;
}

void CardReader::applyNorm(ConfigReader &r, NormSpec &n) {
  readEnum(r, "kind", n.kind, getMaxEnumValForNormKind());
  n.eps = r.getFloat("eps", n.eps);
  if (isNull(r, "weight_offset"))
    n.weightOffset.reset();
  else if (std::optional<double> v = r.optFloat(
               "weight_offset", -std::numeric_limits<double>::infinity(),
               /*exclusiveMin=*/false))
    n.weightOffset = v;
  n.bias = r.getBool("bias", n.bias);
}

void CardReader::applyRope(ConfigReader &r, RopeSpec &rope) {
  rope.theta = r.getFloat("theta", rope.theta);
  if (isNull(r, "fraction"))
    rope.fraction.reset();
  else if (std::optional<double> f = r.optFloat("fraction"))
    rope.fraction = f;
  readEnum(r, "style", rope.style, getMaxEnumValForRopeStyle());
  if (isNull(r, "scaling")) {
    rope.scaling.reset();
    return;
  }
  nested(r, "scaling", [&](ConfigReader &s) {
    RopeSpec::Scaling scaling = rope.scaling.value_or(RopeSpec::Scaling());
    readEnum(s, "kind", scaling.kind, getMaxEnumValForRopeScalingKind());
    scaling.factor = s.getFloat("factor", scaling.factor);
    if (scaling.kind == RopeScalingKind::Llama3) {
      if (std::optional<double> v = s.optFloat("low_freq_factor"))
        scaling.lowFreqFactor = v;
      if (std::optional<double> v = s.optFloat("high_freq_factor"))
        scaling.highFreqFactor = v;
      scaling.originalMaxPosition =
          s.getInt("original_max_positions", scaling.originalMaxPosition);
    }
    rope.scaling = scaling;
  });
}

void CardReader::applyPosition(const llvm::json::Object &o, ConfigReader &r,
                               BlockDraft &d) {
  static const llvm::StringRef kKinds[] = {"none", "rope", "alibi"};
  llvm::StringRef current = d.position == PositionKind::None   ? "none"
                            : d.position == PositionKind::Rope ? "rope"
                                                               : "alibi";
  auto setKind = [&](llvm::StringRef kind) {
    d.position = kind == "none"   ? PositionKind::None
                 : kind == "rope" ? PositionKind::Rope
                                  : PositionKind::Alibi;
  };
  const llvm::json::Value *value = o.get("position");
  if (!value || value->kind() == llvm::json::Value::Null) {
    r.ignore({"position"});
    return;
  }
  // "position": "rope" is short for {"kind": "rope"}.
  if (value->getAsString()) {
    setKind(r.getChoice("position", current, kKinds));
    return;
  }
  if (!value->getAsObject()) {
    r.ignore({"position"});
    r.error("position", "expected \"none\", \"rope\", \"alibi\" or an object "
                        "with \"kind\", got " +
                            describe(*value));
    return;
  }
  nested(r, "position", [&](ConfigReader &p) {
    setKind(p.getChoice("kind", current, kKinds));
    if (d.position == PositionKind::Rope)
      applyRope(p, d.rope);
    else if (d.position == PositionKind::Alibi)
      d.alibiMaxBias = p.getFloat("max_bias", d.alibiMaxBias);
  });
}

void CardReader::applyMLA(ConfigReader &r, MLASpec &mla) {
  mla.qLoraRank = r.getInt("q_lora_rank", mla.qLoraRank, 0);
  mla.kvLoraRank = r.getInt("kv_lora_rank", mla.kvLoraRank);
  mla.qkNopeHeadDim = r.getInt("qk_nope_head_dim", mla.qkNopeHeadDim);
  mla.qkRopeHeadDim = r.getInt("qk_rope_head_dim", mla.qkRopeHeadDim);
  mla.vHeadDim = r.getInt("v_head_dim", mla.vHeadDim);
}

void CardReader::applyAttention(ConfigReader &r, BlockDraft &d) {
  readOptInt(r, "heads", d.heads);
  readOptInt(r, "kv_heads", d.kvHeads);
  readOptInt(r, "head_dim", d.headDim);
  readOptFloat(r, "scale", d.scale);
  readOptInt(r, "window", d.window);
  readOptFloat(r, "softcap", d.softcap);
  readOptFloat(r, "clip_qkv", d.clipQkv);
  readEnum(r, "qk_norm", d.qkNorm, getMaxEnumValForQKNorm());
  d.qkvBias = r.getBool("qkv_bias", d.qkvBias);
  d.outBias = r.getBool("out_bias", d.outBias);
  if (isNull(r, "mla")) {
    d.mla.reset();
    return;
  }
  nested(r, "mla", [&](ConfigReader &m) {
    MLASpec mla = d.mla.value_or(MLASpec());
    applyMLA(m, mla);
    d.mla = mla;
  });
}

void CardReader::applyFFN(ConfigReader &r, BlockDraft &d) {
  readEnum(r, "activation", d.activation, getMaxEnumValForActivation());
  d.gated = r.getBool("gated", d.gated);
  readOptInt(r, "intermediate", d.intermediate);
  d.ffnBias = r.getBool("bias", d.ffnBias);
}

void CardReader::applyMoE(ConfigReader &r, MoEDraft &m) {
  readOptInt(r, "experts", m.experts);
  readOptInt(r, "top_k", m.topK);
  readOptInt(r, "intermediate", m.intermediate);
  m.shared = r.getInt("shared", m.shared, 0);
  readOptInt(r, "shared_intermediate", m.sharedIntermediate);
  m.renormalize = r.getBool("renormalize", m.renormalize);
  readOptFloat(r, "routed_scale", m.routedScale);
}

void CardReader::applyBlock(const llvm::json::Object &o, ConfigReader &r,
                            BlockDraft &d) {
  nested(r, "norm", [&](ConfigReader &n) { applyNorm(n, d.norm); });
  readEnum(r, "placement", d.placement, getMaxEnumValForNormPlacement());
  readOptFloat(r, "deepnorm_alpha", d.deepnormAlpha);
  readEnum(r, "shape", d.shape, getMaxEnumValForBlockShape());
  d.sharedNorm = r.getBool("shared_norm", d.sharedNorm);
  applyPosition(o, r, d);
  nested(r, "attention", [&](ConfigReader &a) { applyAttention(a, d); });
  nested(r, "ffn", [&](ConfigReader &f) { applyFFN(f, d); });
  if (isNull(r, "moe")) {
    d.moe.reset();
  } else {
    nested(r, "moe", [&](ConfigReader &m) {
      MoEDraft moe = d.moe.value_or(MoEDraft());
      applyMoE(m, moe);
      d.moe = moe;
    });
  }
}

//===----------------------------------------------------------------------===//
// Defaults and consistency
//===----------------------------------------------------------------------===//

std::optional<LayerSpec> CardReader::finish(const BlockDraft &d,
                                            llvm::StringRef where) {
  size_t errors = diags.errors.size();
  auto fail = [&](llvm::StringRef field, const llvm::Twine &msg) {
    error(where, field, msg);
  };
  LayerSpec l;
  l.norm = d.norm;
  l.placement = d.placement;
  l.deepnormAlpha = d.deepnormAlpha;
  l.shape = d.shape;
  l.sharedNorm = d.sharedNorm;
  l.position = d.position;
  l.rope = d.rope;
  l.alibiMaxBias = d.alibiMaxBias;

  // Norm and block shape.
  if (d.norm.bias && d.norm.kind != NormKind::LayerNorm)
    fail("norm.bias", "a bias needs \"kind\": \"layer_norm\"; rms_norm has "
                      "none");
  if (d.norm.weightOffset && d.norm.kind != NormKind::RMSNorm)
    fail("norm.weight_offset", "an offset needs \"kind\": \"rms_norm\" "
                               "(the 1 + w form); layer_norm has none");
  if ((d.placement == NormPlacement::DeepNorm) != d.deepnormAlpha.has_value())
    fail("deepnorm_alpha",
         d.deepnormAlpha ? "is only used with \"placement\": \"deep_norm\""
                         : "required field is missing (\"placement\" is "
                           "\"deep_norm\")");
  if (d.shape == BlockShape::Parallel && d.placement != NormPlacement::Pre)
    fail("shape", "a parallel block normalises its input once for both "
                  "sublayers: it needs \"placement\": \"pre\", got \"" +
                      stringifyNormPlacement(d.placement) +
                      "\" (tfc has no post-norm parallel block)");
  if (d.sharedNorm && d.shape != BlockShape::Parallel)
    fail("shared_norm", "needs \"shape\": \"parallel\"");

  // Attention.
  AttentionSpec &a = l.attention;
  if (!d.heads) {
    fail("attention.heads", "required field is missing");
    return std::nullopt;
  }
  a.heads = *d.heads;
  a.kvHeads = d.kvHeads.value_or(a.heads);
  if (a.heads % a.kvHeads)
    fail("attention.kv_heads",
         llvm::formatv("kv_heads = {0} does not divide heads = {1}", a.kvHeads,
                       a.heads));
  if (d.mla) {
    const MLASpec &m = *d.mla;
    for (auto [name, value] :
         {std::pair<llvm::StringRef, int64_t>{"kv_lora_rank", m.kvLoraRank},
          {"qk_nope_head_dim", m.qkNopeHeadDim},
          {"qk_rope_head_dim", m.qkRopeHeadDim},
          {"v_head_dim", m.vHeadDim}})
      if (value <= 0)
        fail(("attention.mla." + name).str(), "required field is missing");
    int64_t qkDim = m.qkNopeHeadDim + m.qkRopeHeadDim;
    a.headDim = d.headDim.value_or(qkDim);
    if (a.headDim != qkDim)
      fail("attention.head_dim",
           llvm::formatv("head_dim = {0} but mla needs qk_nope_head_dim + "
                         "qk_rope_head_dim = {1} (or leave it out)",
                         a.headDim, qkDim));
    if (a.kvHeads != a.heads)
      fail("attention.kv_heads",
           llvm::formatv("mla gives every head its own keys and values: "
                         "kv_heads must equal heads = {0}, got {1}",
                         a.heads, a.kvHeads));
    if (m.qkRopeHeadDim % 2)
      fail("attention.mla.qk_rope_head_dim",
           llvm::formatv("value {0} is odd; RoPE rotates pairs of dims",
                         m.qkRopeHeadDim));
    if (d.qkNorm != QKNorm::None)
      fail("attention.qk_norm", "mla attention has no qk_norm; accepted: "
                                "\"none\"");
    if (d.qkvBias)
      fail("attention.qkv_bias", "mla projections have no biases; accepted: "
                                 "false");
    if (d.position != PositionKind::Rope)
      fail("position", "mla attention rotates its qk_rope_head_dim dims: it "
                       "needs \"rope\"");
    else if (d.rope.fraction)
      fail("position.fraction", "mla rotates qk_rope_head_dim dims; leave "
                                "\"fraction\" out");
    a.mla = m;
  } else if (d.headDim) {
    a.headDim = *d.headDim;
  } else if (hidden % a.heads) {
    fail("attention.head_dim",
         llvm::formatv("required field is missing: hidden_size = {0} is not "
                       "divisible by heads = {1}",
                       hidden, a.heads));
  } else {
    a.headDim = hidden / a.heads;
  }
  a.scale = d.scale;
  a.window = d.window;
  a.softcap = d.softcap;
  a.clipQkv = d.clipQkv;
  a.qkNorm = d.qkNorm;
  a.qkvBias = d.qkvBias;
  a.outBias = d.outBias;

  // RoPE on a plain head: int(head_dim * fraction) dims, an even number.
  if (d.position == PositionKind::Rope && !d.mla) {
    double fraction = d.rope.fraction.value_or(1.0);
    if (!(fraction > 0.0 && fraction <= 1.0))
      fail("position.fraction",
           "value " + describe(llvm::json::Value(fraction)) +
               " is out of range; expected a number in (0, 1]");
    else if (a.headDim > 0) {
      auto rotated =
          static_cast<int64_t>(static_cast<double>(a.headDim) * fraction);
      if (rotated <= 0 || rotated % 2)
        fail("position.fraction",
             llvm::formatv("rotates {0} of head_dim {1} dims; must be even and "
                           "positive",
                           rotated, a.headDim));
    }
  }
  if (d.position == PositionKind::Rope && d.rope.scaling &&
      d.rope.scaling->kind == RopeScalingKind::Llama3) {
    const RopeSpec::Scaling &s = *d.rope.scaling;
    if (!s.lowFreqFactor || !s.highFreqFactor || s.originalMaxPosition <= 0)
      fail("position.scaling",
           "llama3 scaling needs low_freq_factor, high_freq_factor and "
           "original_max_positions");
    else if (!(*s.highFreqFactor > *s.lowFreqFactor))
      fail("position.scaling.high_freq_factor",
           "high_freq_factor = " + describe(*s.highFreqFactor) +
               " must exceed low_freq_factor = " + describe(*s.lowFreqFactor));
  }

  // Feed-forward and experts.
  l.ffn.activation = d.activation;
  l.ffn.gated = d.gated;
  l.ffn.bias = d.ffnBias;
  if (d.moe) {
    const MoEDraft &m = *d.moe;
    MoESpec moe;
    if (!m.experts)
      fail("moe.experts", "required field is missing");
    if (!m.topK)
      fail("moe.top_k", "required field is missing");
    moe.experts = m.experts.value_or(1);
    moe.topK = m.topK.value_or(1);
    if (moe.topK > moe.experts)
      fail("moe.top_k", llvm::formatv("top_k = {0} exceeds experts = {1}",
                                      moe.topK, moe.experts));
    // An expert is as wide as the dense FFN unless the card says otherwise.
    if (!m.intermediate && !d.intermediate)
      fail("moe.intermediate", "required field is missing (or give "
                               "ffn.intermediate)");
    moe.intermediate = m.intermediate.value_or(d.intermediate.value_or(1));
    moe.shared = m.shared;
    if (m.sharedIntermediate && m.shared == 0)
      fail("moe.shared_intermediate", "given but \"shared\" is 0");
    moe.sharedIntermediate =
        m.shared ? m.sharedIntermediate.value_or(m.shared * moe.intermediate)
                 : 0;
    moe.renormalize = m.renormalize;
    moe.routedScale = m.routedScale;
    if (d.ffnBias)
      fail("ffn.bias", "experts have no biases: a MoE block needs \"bias\": "
                       "false");
    l.ffn.intermediate = d.intermediate.value_or(moe.intermediate);
    l.moe = moe;
  } else if (!d.intermediate) {
    fail("ffn.intermediate", "required field is missing");
  } else {
    l.ffn.intermediate = *d.intermediate;
  }
  if (diags.errors.size() != errors)
    return std::nullopt;
  return l;
}

//===----------------------------------------------------------------------===//
// Weight names
//===----------------------------------------------------------------------===//

/// The checkpoint name of `role` in layer `layer` (docs/model-card.md):
/// norms `layers.{i}.<norm>.weight|bias`, attention `layers.{i}.attn.<proj>`,
/// feed-forward `layers.{i}.ffn.<proj>`, experts `layers.{i}.moe.experts.{e}.
/// <proj>`, shared experts `layers.{i}.moe.shared.<proj>`, router
/// `layers.{i}.moe.router.weight`. A role `X_bias` is the `.bias` of the
/// projection `X_proj` (or of the norm `X` when X ends in `_norm`).
static std::string cardWeightName(int64_t layer, llvm::StringRef role) {
  std::string p = "layers." + std::to_string(layer) + ".";
  if (role == "router")
    return p + "moe.router.weight";
  std::string group;
  llvm::StringRef leaf = role;
  if (role.consume_front("expert.")) {
    auto [expert, rest] = role.split('.');
    group = ("moe.experts." + expert + ".").str();
    leaf = rest;
  } else if (role.consume_front("shared.")) {
    group = "moe.shared.";
    leaf = role;
  }
  bool bias = leaf.consume_back("_bias");
  std::string module = leaf.str();
  if (bias && !leaf.ends_with("_norm"))
    module += "_proj";
  if (group.empty()) {
    static const llvm::StringRef kBlockNorms[] = {
        "attn_norm", "ffn_norm", "post_attn_norm", "post_ffn_norm"};
    static const llvm::StringRef kFFN[] = {"gate_proj", "up_proj", "down_proj"};
    if (llvm::is_contained(kFFN, module))
      group = "ffn.";
    else if (!llvm::is_contained(kBlockNorms, module))
      group = "attn.";
  }
  return p + group + module + (bias ? ".bias" : ".weight");
}

/// Names every weight of every layer. Which roles a layer has is known in
/// one place, DecoderBlockOp::getExpectedWeights; ask it instead of
/// restating it: emit the layers once without weights and read back.
static void nameLayerWeights(ModelSpec &spec) {
  MLIRContext context(MLIRContext::Threading::DISABLED);
  OwningOpRef<ModuleOp> module = emitModel(spec, &context);
  module->walk([&](DecoderBlockOp block) {
    int64_t layer = static_cast<int64_t>(block.getLayer());
    for (auto &[role, shape] : block.getExpectedWeights())
      spec.layers[layer].weights[role] = cardWeightName(layer, role);
  });
}

//===----------------------------------------------------------------------===//
// The card
//===----------------------------------------------------------------------===//

/// Puts `prefix` before every tensor name but the LM head's (`head.weight`,
/// `head.bias`), as a Hugging Face *ForCausalLM wraps its base model.
static void applyBaseModelPrefix(ModelSpec &spec, llvm::StringRef prefix) {
  auto add = [&](std::string &name) {
    if (!name.empty())
      name = (prefix + name).str();
  };
  bool tied = spec.lmHead == spec.embedding;
  add(spec.embedding);
  add(spec.positionTable);
  add(spec.embeddingNormWeight);
  add(spec.embeddingNormBias);
  add(spec.finalNormWeight);
  add(spec.finalNormBias);
  if (tied)
    spec.lmHead = spec.embedding;
  for (LayerSpec &layer : spec.layers)
    for (auto &entry : layer.weights)
      add(entry.getValue());
}

/// `key` of `o`: true (the block's norm), false (none) or a norm object that
/// changes some of the block's norm fields; absent or null means `dflt`.
std::optional<NormSpec> CardReader::readNormChoice(const llvm::json::Object &o,
                                                   ConfigReader &r,
                                                   llvm::StringRef key,
                                                   const NormSpec &blockNorm,
                                                   bool dflt) {
  const llvm::json::Value *value = o.get(key);
  std::optional<NormSpec> norm;
  if (value && value->getAsObject()) {
    NormSpec n = blockNorm;
    nested(r, key, [&](ConfigReader &nr) { applyNorm(nr, n); });
    norm = n;
  } else if (!value || value->kind() == llvm::json::Value::Null ||
             value->getAsBoolean()) {
    if (r.getBool(key, dflt))
      norm = blockNorm;
  } else {
    r.ignore({key});
    r.error(key,
            "expected true, false or a norm object, got " + describe(*value));
  }
  if (norm && norm->bias && norm->kind != NormKind::LayerNorm)
    r.error(key, "a bias needs \"kind\": \"layer_norm\"; rms_norm has none");
  if (norm && norm->weightOffset && norm->kind != NormKind::RMSNorm)
    r.error(key, "an offset needs \"kind\": \"rms_norm\" (the 1 + w form); "
                 "layer_norm has none");
  return norm;
}

LogicalResult CardReader::read(const llvm::json::Object &card,
                               ModelSpec &spec) {
  ConfigReader r(card, diags);
  spec.modelType = "card";
  std::string format = r.requireString("format");
  if (!format.empty() && format != "tfc-model-card")
    r.error("format", "unsupported value \"" + format +
                          "\"; accepted: \"tfc-model-card\"");
  if (std::optional<int64_t> version = r.optInt("version")) {
    if (*version != 1)
      r.error("version",
              llvm::formatv("unsupported version {0}; accepted: 1", *version));
  } else if (!r.present("version")) {
    r.error("version", "required field is missing");
  }
  r.optString("name");
  r.optString("description");
  spec.vocabSize = r.requireInt("vocab_size");
  size_t beforeHidden = diags.errors.size();
  hidden = spec.hiddenSize = r.requireInt("hidden_size");
  // The block's defaults (head_dim) derive from hidden_size: without it,
  // checking the block would only add follow-on errors.
  bool hiddenRead = diags.errors.size() == beforeHidden;
  int64_t layers = r.requireInt("num_layers");

  // The block: every layer starts from it.
  BlockDraft base;
  size_t errors = diags.errors.size();
  if (const llvm::json::Object *block = r.optObject("block")) {
    ConfigReader br(*block, diags, "block");
    applyBlock(*block, br, base);
    br.warnUnknown();
  } else if (!r.present("block")) {
    r.error("block", "required field is missing");
  }
  if (diags.errors.size() != errors || !r.has("block") || !hiddenRead)
    return failure();
  std::optional<LayerSpec> baseLayer = finish(base, "block");
  if (!baseLayer)
    return failure();

  // The layer pattern: each entry changes some fields of the block for
  // `repeat` consecutive layers; the pattern repeats until num_layers (the
  // last repetition may be cut short).
  std::vector<LayerSpec> pattern;
  if (const llvm::json::Array *entries = r.optArray("layers")) {
    if (entries->empty())
      r.error("layers", "expected at least one entry");
    for (auto [k, entry] : llvm::enumerate(*entries)) {
      std::string where = llvm::formatv("layers[{0}]", k).str();
      const llvm::json::Object *o = entry.getAsObject();
      if (!o) {
        diags.error("field '" + where + "': expected an object, got " +
                    describe(entry));
        continue;
      }
      ConfigReader er(*o, diags, where);
      int64_t repeat = er.getInt("repeat", 1);
      BlockDraft d = base;
      size_t errors = diags.errors.size();
      applyBlock(*o, er, d);
      er.warnUnknown();
      if (diags.errors.size() != errors)
        continue;
      // Entries past num_layers are never used: the pattern need not grow
      // beyond it (repeat x entries could otherwise allocate without bound).
      int64_t room =
          std::max<int64_t>(0, layers - static_cast<int64_t>(pattern.size()));
      if (std::optional<LayerSpec> l = finish(d, where))
        pattern.insert(pattern.end(), std::min(repeat, room), *l);
    }
  } else {
    pattern.push_back(*baseLayer);
  }

  // Embedding and absolute positions.
  spec.embedding = "embed.weight";
  if (const llvm::json::Object *e = r.optObject("embedding")) {
    ConfigReader er(*e, diags, "embedding");
    const llvm::json::Value *scale = e->get("scale");
    if (scale && scale->getAsString()) {
      if (er.getChoice("scale", "sqrt_hidden", {"sqrt_hidden"}) ==
          "sqrt_hidden")
        spec.embeddingScale = std::sqrt(static_cast<double>(hidden));
    } else if (scale && scale->kind() != llvm::json::Value::Null &&
               !scale->getAsNumber()) {
      er.ignore({"scale"});
      er.error("scale",
               "expected a number or \"sqrt_hidden\", got " + describe(*scale));
    } else {
      spec.embeddingScale = er.optFloat("scale");
    }
    AbsolutePosition positions = AbsolutePosition::None;
    readEnum(er, "positions", positions, getMaxEnumValForAbsolutePosition());
    spec.absolutePosition = positions;
    if (positions == AbsolutePosition::Learned) {
      spec.maxPositions = er.requireInt("max_positions");
      spec.positionTable = "pos_embed.weight";
    } else if (er.has("max_positions")) {
      er.error("max_positions", "only used with \"positions\": \"learned\"");
    }
    if (std::optional<double> base = er.optFloat("sinusoidal_base")) {
      if (positions != AbsolutePosition::Sinusoidal)
        er.error("sinusoidal_base",
                 "only used with \"positions\": \"sinusoidal\"");
      spec.sinusoidalBase = *base;
    }
    if (std::optional<NormSpec> n =
            readNormChoice(*e, er, "norm", base.norm, /*dflt=*/false)) {
      spec.embeddingNorm = n;
      spec.embeddingNormWeight = "embed_norm.weight";
      if (n->bias)
        spec.embeddingNormBias = "embed_norm.bias";
    }
    er.warnUnknown();
  }

  // Final norm (default: the block's), LM head, final soft-cap.
  if (std::optional<NormSpec> n =
          readNormChoice(card, r, "final_norm", base.norm, /*dflt=*/true)) {
    spec.finalNorm = n;
    spec.finalNormWeight = "final_norm.weight";
    if (n->bias)
      spec.finalNormBias = "final_norm.bias";
  }
  bool tied = r.getBool("tie_embeddings", false);
  spec.lmHead = tied ? spec.embedding : "head.weight";
  if (tied)
    spec.optionalWeights.push_back("head.weight");
  if (r.getBool("lm_head_bias", false))
    spec.lmHeadBias = "head.bias";
  spec.finalSoftcap = r.optFloat("final_softcap");

  // What the checkpoint stores and how it was trained: no effect on the
  // computation.
  std::string dtype =
      r.getChoice("weight_dtype", "f32", {"f32", "bf16", "f16"});
  spec.weightDType = dtype == "bf16"  ? WeightDType::BF16
                     : dtype == "f16" ? WeightDType::F16
                                      : WeightDType::F32;
  spec.trainedContext = r.getInt("trained_context", 0, 0);
  std::optional<std::string> prefix = r.optString("base_model_prefix");
  if (prefix && (prefix->size() < 2 || prefix->back() != '.' ||
                 prefix->find_first_of(" \t") != std::string::npos))
    r.error("base_model_prefix",
            "value \"" + *prefix +
                "\" is not a module path followed by \".\" (e.g. "
                "\"model.\")");
  r.warnUnknown();
  if (!diags.errors.empty() || pattern.empty())
    return failure();

  // Routed experts over all layers, before any layer's tensors are named.
  int64_t expertInstances = 0;
  for (int64_t i = 0; i < layers; ++i)
    if (const std::optional<MoESpec> &moe = pattern[i % pattern.size()].moe)
      expertInstances += moe->experts; // each term <= kMaxExperts
  if (expertInstances > limits::kMaxExpertInstances) {
    r.error("num_layers",
            llvm::formatv("the layers hold {0} routed experts in all; tfc's "
                          "bound is {1} (docs/reliability.md)",
                          expertInstances, limits::kMaxExpertInstances));
    return failure();
  }

  for (int64_t i = 0; i < layers; ++i)
    spec.layers.push_back(pattern[i % pattern.size()]);
  nameLayerWeights(spec);
  if (prefix) {
    spec.baseModelPrefix = *prefix;
    applyBaseModelPrefix(spec, *prefix);
  }
  return success();
}

LogicalResult mlir::tfc::readModelCard(const llvm::json::Object &card,
                                       ModelSpec &spec,
                                       ImportDiagnostics &diags) {
  return CardReader(diags).read(card, spec);
}
