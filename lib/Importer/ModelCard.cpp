//===- ModelCard.cpp - tfc's own model card -> ModelSpec ------------------===//
//
// A model card names every architectural choice on its own
// (docs/model-card.md), so a card can combine what no Hugging Face family
// combines. The `block` object describes a decoder layer; an optional `layers`
// pattern overrides parts of it layer by layer: each entry is merged onto the
// block as JSON, and every field remembers the object it was written in, so
// errors name `layers[2].attention.window` or `block.attention.window`. A
// layer is read straight into the attributes of tfc.decoder_block; their
// verifiers decide whether the fields agree. Weight names follow from the
// block's roles (TensorNames.cpp, layouts::kCard): a card never lists
// tensor names.
//
//===----------------------------------------------------------------------===//
#include "Families.h"

#include "tfc/Importer/Limits.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfc;

//===----------------------------------------------------------------------===//
// Merging a layer entry onto the block
//===----------------------------------------------------------------------===//

namespace {
/// A layer's description: the block with a `layers` entry on top, and the
/// object each field (by its dotted path) came from.
struct LayerObject {
  llvm::json::Object object;
  llvm::StringMap<std::string> origins;
};
} // namespace

/// A JSON value for an error message.
static std::string describe(const llvm::json::Value &value) {
  std::string text;
  llvm::raw_string_ostream(text) << value;
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

static std::string fieldPath(llvm::StringRef path, llvm::StringRef key) {
  return path.empty() ? key.str() : (path + "." + key).str();
}

/// `"position": "rope"` is short for `{"kind": "rope"}`.
static llvm::json::Value normalisePosition(const llvm::json::Value &value) {
  if (std::optional<llvm::StringRef> kind = value.getAsString())
    return llvm::json::Object{{"kind", *kind}};
  return value;
}

/// Records `name` as the origin of `value` at `path` and of all it holds.
static void markOrigin(const llvm::json::Value &value, llvm::StringRef path,
                       llvm::StringRef name,
                       llvm::StringMap<std::string> &origins) {
  origins[path] = name.str();
  if (const llvm::json::Object *o = value.getAsObject())
    for (const auto &[key, v] : *o)
      markOrigin(v, fieldPath(path, key), name, origins);
}

/// Puts `over` onto `into`: nested objects merge field by field, except a
/// position of another kind, which replaces the block's (its parameters
/// mean nothing for the new kind).
static void mergeInto(llvm::json::Object &into, const llvm::json::Object &over,
                  llvm::StringRef path, llvm::StringRef name,
                  llvm::StringMap<std::string> &origins) {
  for (const auto &[key, raw] : over) {
    std::string full = fieldPath(path, key);
    llvm::json::Value value =
        path.empty() && key == "position" ? normalisePosition(raw) : raw;
    llvm::json::Object *existing =
        into.get(key) ? into.get(key)->getAsObject() : nullptr;
    const llvm::json::Object *incoming = value.getAsObject();
    bool sameKind = true;
    if (existing && incoming && path.empty() && key == "position") {
      const llvm::json::Value *a = existing->get("kind");
      const llvm::json::Value *b = incoming->get("kind");
      sameKind = !b || (a && *a == *b);
    }
    if (existing && incoming && sameKind) {
      mergeInto(*existing, *incoming, full, name, origins);
      continue;
    }
    markOrigin(value, full, name, origins);
    into[key] = std::move(value);
  }
}

static LayerObject layerObject(const llvm::json::Object &block,
                               const llvm::json::Object *entry,
                               llvm::StringRef entryName) {
  LayerObject layer;
  mergeInto(layer.object, block, "", "block", layer.origins);
  if (entry)
    mergeInto(layer.object, *entry, "", entryName, layer.origins);
  return layer;
}

//===----------------------------------------------------------------------===//
// Reading a layer into its attributes
//===----------------------------------------------------------------------===//

namespace {
class CardReader {
public:
  CardReader(BlockBuilder &b) : b(b), diags(b.getDiags()) {}

  LogicalResult read(const llvm::json::Object &card, ModelSpec &spec);

private:
  /// Calls `fn` on a reader of the nested object `key` (unknown fields
  /// warn); a non-object is an error.
  template <typename Fn>
  void nested(ConfigReader &r, llvm::StringRef key, Fn fn) {
    if (const llvm::json::Object *o = r.optObject(key)) {
      ConfigReader sub = r.nested(*o, key);
      fn(sub);
      sub.warnUnknown();
    }
  }
  /// The layer `r` reads (a merged block); its attributes' verifiers judge
  /// it; nullopt after an error.
  std::optional<LayerSpec> readLayer(ConfigReader &r, llvm::StringRef name);
  NormAttr readNorm(ConfigReader &r, llvm::StringRef attribute = "norm");
  Attribute readPosition(ConfigReader &r);
  RopeScalingAttr readScaling(ConfigReader &r);
  AttentionAttr readAttention(ConfigReader &r);
  std::optional<NormSpec> readNormChoice(ConfigReader &r, llvm::StringRef key,
                                         const llvm::json::Object &blockNorm,
                                         bool dflt, llvm::StringRef name);
  void bind(llvm::StringRef param, ConfigReader &r, llvm::StringRef key) {
    b.origins().bind(param, r.where(key));
  }

  BlockBuilder &b;
  ImportDiagnostics &diags;
  int64_t hidden = 0;
};
} // namespace

/// `key: null` is the same as leaving it out: the default. Marks the key.
static bool isNull(ConfigReader &r, llvm::StringRef key) {
  return r.present(key) && !r.has(key);
}

/// A tfc enum by its dialect spelling (`#tfc.norm_placement<deep_norm>` is
/// written "deep_norm"); the error lists every spelling.
template <typename E>
static E readEnum(ConfigReader &r, llvm::StringRef key, E dflt,
                  unsigned maxValue) {
  llvm::SmallVector<llvm::StringRef> names;
  for (unsigned i = 0; i <= maxValue; ++i)
    names.push_back(stringifyEnum(static_cast<E>(i)));
  std::string name = r.getChoice(key, stringifyEnum(dflt), names);
  return symbolizeEnum<E>(name).value_or(dflt);
}

NormAttr CardReader::readNorm(ConfigReader &r, llvm::StringRef attribute) {
  NormKind kind = readEnum(r, "kind", NormKind::RMSNorm,
                           getMaxEnumValForNormKind());
  double eps = r.getFloat("eps", 1e-5);
  std::optional<double> offset =
      isNull(r, "weight_offset")
          ? std::nullopt
          : r.optFloat("weight_offset",
                       -std::numeric_limits<double>::infinity(),
                       /*exclusiveMin=*/false);
  bool bias = r.getBool("bias", false);
  bind((attribute + ".eps").str(), r, "eps");
  bind((attribute + ".weight_offset").str(), r, "weight_offset");
  bind((attribute + ".bias").str(), r, "bias");
  return b.get<NormAttr>(attribute, kind, f64(eps), optF64(offset), bias);
}

RopeScalingAttr CardReader::readScaling(ConfigReader &s) {
  RopeScalingKind kind = readEnum(s, "kind", RopeScalingKind::Linear,
                                  getMaxEnumValForRopeScalingKind());
  double factor = s.getFloat("factor", 1.0);
  std::optional<double> low, high;
  int64_t original = 0;
  if (kind == RopeScalingKind::Llama3) {
    low = s.optFloat("low_freq_factor");
    high = s.optFloat("high_freq_factor");
    original = s.getInt("original_max_positions", 0, 0);
  }
  bind("factor", s, "factor");
  bind("low_freq_factor", s, "low_freq_factor");
  bind("high_freq_factor", s, "high_freq_factor");
  bind("original_max_position", s, "original_max_positions");
  bind("scaling", s, "kind");
  return b.get<RopeScalingAttr>("scaling", kind, f64(factor), optF64(low),
                                optF64(high), original);
}

Attribute CardReader::readPosition(ConfigReader &r) {
  MLIRContext *ctx = b.getContext();
  static const llvm::StringRef kKinds[] = {"none", "rope", "alibi",
                                           "relative_bias"};
  // The merge turned "position": "rope" into {"kind": "rope"}.
  const llvm::json::Value *value = r.getObject().get("position");
  if (value && value->kind() != llvm::json::Value::Null &&
      !value->getAsObject()) {
    r.ignore({"position"});
    r.error("position", "expected \"none\", \"rope\", \"alibi\", "
                        "\"relative_bias\" or an object with \"kind\", got " +
                            describe(*value));
    return {};
  }
  // Absent, the position is {"kind": "rope"} with its defaults.
  llvm::json::Object none;
  const llvm::json::Object *o = r.optObject("position");
  ConfigReader p = r.nested(o ? *o : none, "position");
  std::string kind = p.getChoice("kind", "rope", kKinds);
  bind("position", p, "kind");
  Attribute position = NoPositionAttr::get(ctx);
  if (kind == "rope") {
    double theta = p.getFloat("theta", 10000.0);
    std::optional<double> fraction =
        isNull(p, "fraction") ? std::nullopt : p.optFloat("fraction");
    RopeStyle style = readEnum(p, "style", RopeStyle::RotateHalf,
                               getMaxEnumValForRopeStyle());
    bind("theta", p, "theta");
    bind("fraction", p, "fraction");
    RopeScalingAttr scaling;
    bool scalingRead = true;
    if (!isNull(p, "scaling"))
      nested(p, "scaling", [&](ConfigReader &s) {
        scaling = readScaling(s);
        scalingRead = static_cast<bool>(scaling);
      });
    position = scalingRead ? b.get<RopeAttr>("rope", f64(theta),
                                             optF64(fraction), style, scaling)
                           : RopeAttr();
  } else if (kind == "alibi") {
    position = AlibiAttr::get(ctx, f64(p.getFloat("max_bias", 8.0)));
  } else if (kind == "relative_bias") {
    // HF T5Config's relative_attention_num_buckets / _max_distance defaults;
    // a decoder's bias looks back only (T5's decoder: bidirectional false).
    int64_t buckets = p.getInt("buckets", 32);
    int64_t maxDistance = p.getInt("max_distance", 128);
    bool bidirectional = p.getBool("bidirectional", false);
    for (llvm::StringRef key : {"buckets", "max_distance", "bidirectional"})
      bind(key, p, key);
    position = b.get<RelativeBiasAttr>("position", buckets, maxDistance,
                                       bidirectional);
  }
  p.warnUnknown();
  return position;
}

AttentionAttr CardReader::readAttention(ConfigReader &a) {
  size_t errors = diags.errors.size();
  int64_t heads = a.requireInt("heads");
  int64_t kvHeads = a.getInt("kv_heads", heads);
  for (llvm::StringRef key : {"heads", "kv_heads", "head_dim", "scale",
                              "window", "softcap", "clip_qkv", "qk_norm",
                              "qkv_bias", "out_bias"})
    bind(key, a, key);
  MLAAttr mla;
  if (!isNull(a, "mla"))
    nested(a, "mla", [&](ConfigReader &m) {
      int64_t qLoraRank = m.getInt("q_lora_rank", 0, 0);
      int64_t kvLoraRank = m.requireInt("kv_lora_rank");
      int64_t nope = m.requireInt("qk_nope_head_dim");
      int64_t rope = m.requireInt("qk_rope_head_dim");
      int64_t vHeadDim = m.requireInt("v_head_dim");
      for (llvm::StringRef key : {"q_lora_rank", "kv_lora_rank",
                                  "qk_nope_head_dim", "qk_rope_head_dim",
                                  "v_head_dim"})
        bind(key, m, key);
      bind("mla", a, "mla");
      if (diags.errors.size() == errors)
        mla = b.get<MLAAttr>("mla", qLoraRank, kvLoraRank, nope, rope,
                             vHeadDim);
    });
  // head_dim: qk_nope_head_dim + qk_rope_head_dim with mla, else
  // hidden_size / heads.
  std::optional<int64_t> headDim = a.optInt("head_dim");
  if (!headDim && mla) {
    headDim = mla.getQkNopeHeadDim() + mla.getQkRopeHeadDim();
  } else if (!headDim && heads > 0 && hidden > 0 && hidden % heads) {
    a.error("head_dim",
            llvm::formatv("required field is missing: hidden_size = {0} is "
                          "not divisible by heads = {1}",
                          hidden, heads));
  } else if (!headDim && heads > 0 && hidden > 0) {
    headDim = hidden / heads;
  }
  auto opt = [&](llvm::StringRef key) {
    return isNull(a, key) ? std::nullopt : a.optFloat(key);
  };
  std::optional<double> scale = opt("scale"), softcap = opt("softcap"),
                        clip = opt("clip_qkv");
  std::optional<int64_t> window =
      isNull(a, "window") ? std::nullopt : a.optInt("window");
  QKNorm qkNorm = readEnum(a, "qk_norm", QKNorm::None, getMaxEnumValForQKNorm());
  bool qkvBias = a.getBool("qkv_bias", false);
  bool outBias = a.getBool("out_bias", false);
  if (diags.errors.size() != errors || !headDim)
    return {};
  AttentionKind kind = mla ? AttentionKind::MLA : attentionKind(heads, kvHeads);
  return b.get<AttentionAttr>("attention", kind, heads, kvHeads, *headDim,
                              optF64(scale), window, optF64(softcap), qkNorm,
                              qkvBias, outBias, optF64(clip), mla);
}

std::optional<LayerSpec> CardReader::readLayer(ConfigReader &r,
                                               llvm::StringRef name) {
  size_t errors = diags.errors.size();
  MLIRContext *ctx = b.getContext();
  b.origins() = FieldOrigins();
  b.origins().object = name.str();

  NormAttr norm;
  nested(r, "norm", [&](ConfigReader &n) { norm = readNorm(n); });
  // Absent, the norm is readNorm's defaults.
  if (!r.has("norm")) {
    llvm::json::Object none;
    ConfigReader n = r.nested(none, "norm");
    norm = readNorm(n);
  }
  NormPlacement placement = readEnum(r, "placement", NormPlacement::Pre,
                                     getMaxEnumValForNormPlacement());
  std::optional<double> alpha = r.optFloat("deepnorm_alpha");
  BlockShape shape =
      readEnum(r, "shape", BlockShape::Serial, getMaxEnumValForBlockShape());
  bool sharedNorm = r.getBool("shared_norm", false);
  for (llvm::StringRef key :
       {"placement", "deepnorm_alpha", "shape", "shared_norm"})
    bind(key, r, key);

  AttentionAttr attention;
  if (!r.has("attention"))
    r.error("attention.heads", "required field is missing");
  nested(r, "attention",
         [&](ConfigReader &a) { attention = readAttention(a); });
  Attribute position = readPosition(r);

  // Feed-forward and experts. An expert is as wide as the dense FFN unless
  // the card says otherwise, and the FFN as wide as an expert.
  Activation activation = Activation::SiLU;
  bool gated = true, ffnBias = false;
  std::optional<int64_t> intermediate;
  nested(r, "ffn", [&](ConfigReader &f) {
    activation = readEnum(f, "activation", Activation::SiLU,
                          getMaxEnumValForActivation());
    gated = f.getBool("gated", true);
    intermediate = f.optInt("intermediate");
    ffnBias = f.getBool("bias", false);
    bind("ffn.intermediate", f, "intermediate");
    bind("ffn.bias", f, "bias");
    // The op verifier names the attribute: "MoE experts have no biases;
    // 'ffn' must not set bias".
    bind("ffn", f, "bias");
  });
  MoEAttr moe;
  if (!isNull(r, "moe"))
    nested(r, "moe", [&](ConfigReader &m) {
      size_t moeErrors = diags.errors.size();
      std::optional<int64_t> experts = m.optInt("experts");
      std::optional<int64_t> topK = m.optInt("top_k");
      if (!experts)
        m.error("experts", "required field is missing");
      if (!topK)
        m.error("top_k", "required field is missing");
      std::optional<int64_t> width = m.optInt("intermediate");
      if (!width && !intermediate)
        m.error("intermediate",
                "required field is missing (or give ffn.intermediate)");
      int64_t expertWidth = width.value_or(intermediate.value_or(1));
      int64_t shared = m.getInt("shared", 0, 0);
      int64_t sharedWidth =
          m.getInt("shared_intermediate", shared * expertWidth);
      bool renormalize = m.getBool("renormalize", false);
      std::optional<double> routedScale =
          isNull(m, "routed_scale") ? std::nullopt : m.optFloat("routed_scale");
      for (llvm::StringRef key : {"experts", "top_k", "shared",
                                  "shared_intermediate", "routed_scale"})
        bind(key, m, key);
      // Without its own width an expert is as wide as ffn.intermediate.
      if (width)
        bind("moe.intermediate", m, "intermediate");
      else if (auto it = b.origins().fields.find("ffn.intermediate");
               it != b.origins().fields.end())
        b.origins().bind("moe.intermediate", it->second);
      bind("moe", m, "experts");
      if (diags.errors.size() == moeErrors)
        moe = b.get<MoEAttr>("moe", *experts, *topK, expertWidth, shared,
                             sharedWidth, renormalize, optF64(routedScale));
      if (!intermediate)
        intermediate = expertWidth;
    });
  if (!intermediate && diags.errors.size() == errors)
    r.error("ffn.intermediate", "required field is missing");
  if (diags.errors.size() != errors || !norm || !attention || !position)
    return std::nullopt;
  FFNAttr ffn = b.get<FFNAttr>("ffn", activation, gated, *intermediate, ffnBias);
  if (!ffn || (r.has("moe") && !moe))
    return std::nullopt;

  // The layer carries its fields' origins (makeLayer): the importer runs the
  // op verifier's rules (placement and shape, RoPE and head sizes, experts
  // and biases) against them once the layer is emitted.
  LayerSpec l = makeLayer(b, norm, position, attention, ffn);
  l.block.setPlacement(NormPlacementAttr::get(ctx, placement));
  l.block.setShape(BlockShapeAttr::get(ctx, shape));
  if (alpha)
    l.block.setDeepnormAlpha(FloatAttr::get(Float64Type::get(ctx), *alpha));
  if (sharedNorm)
    l.block.setSharedNorm(UnitAttr::get(ctx));
  if (moe)
    l.block.setMoe(moe);
  return l;
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
  for (std::optional<NormSpec> *norm : {&spec.embeddingNorm, &spec.finalNorm})
    if (*norm) {
      add((*norm)->weight);
      add((*norm)->bias);
    }
  if (tied)
    spec.lmHead = spec.embedding;
  for (LayerSpec &layer : spec.layers)
    for (auto &entry : layer.weights)
      add(entry.getValue());
}

/// `key` of the card: true (the block's norm), false (none) or a norm object
/// that changes some of the block's norm fields; absent or null means
/// `dflt`. `name` is the tensor prefix.
std::optional<NormSpec>
CardReader::readNormChoice(ConfigReader &r, llvm::StringRef key,
                           const llvm::json::Object &blockNorm, bool dflt,
                           llvm::StringRef name) {
  llvm::json::Object merged = blockNorm;
  llvm::StringMap<std::string> origins;
  for (const auto &entry : blockNorm)
    origins[entry.first] = "block.norm";
  const llvm::json::Value *value = r.getObject().get(key);
  if (value && value->getAsObject()) {
    for (const auto &[k, v] : *r.optObject(key)) {
      merged[k] = v;
      origins[k] = r.where(key);
    }
  } else if (!value || value->kind() == llvm::json::Value::Null ||
             value->getAsBoolean()) {
    if (!r.getBool(key, dflt))
      return std::nullopt;
  } else {
    r.ignore({key});
    r.error(key,
            "expected true, false or a norm object, got " + describe(*value));
    return std::nullopt;
  }
  ConfigReader n(merged, diags, &origins, "", r.where(key));
  b.origins() = FieldOrigins();
  NormAttr norm = readNorm(n, "norm");
  n.warnUnknown();
  if (!norm)
    return std::nullopt;
  return NormSpec{norm, (name + ".weight").str(),
                  norm.getBias() ? (name + ".bias").str() : ""};
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
  // the block is read for its own errors only.
  bool hiddenRead = diags.errors.size() == beforeHidden;
  if (!hiddenRead)
    hidden = 0;
  int64_t layers = r.requireInt("num_layers");

  // The block: every layer starts from it.
  const llvm::json::Object *block = r.optObject("block");
  if (!block && !r.present("block"))
    r.error("block", "required field is missing");
  if (!block)
    return failure();
  LayerObject base = layerObject(*block, nullptr, "");
  std::optional<LayerSpec> baseLayer;
  {
    ConfigReader br(base.object, diags, &base.origins, "", "block");
    baseLayer = readLayer(br, "block");
    br.warnUnknown();
  }
  if (!baseLayer || !hiddenRead)
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
      llvm::json::Object fields = *o;
      fields.erase("repeat");
      LayerObject merged = layerObject(*block, &fields, where);
      ConfigReader lr(merged.object, diags, &merged.origins, "", where);
      std::optional<LayerSpec> l = readLayer(lr, where);
      lr.warnUnknown();
      if (!l)
        continue;
      // Entries past num_layers are never used: the pattern need not grow
      // beyond it (repeat x entries could otherwise allocate without bound).
      int64_t room =
          std::max<int64_t>(0, layers - static_cast<int64_t>(pattern.size()));
      pattern.insert(pattern.end(), std::min(repeat, room), *l);
    }
  } else {
    pattern.push_back(*baseLayer);
  }

  // Embedding and absolute positions.
  llvm::json::Object blockNorm;
  if (const llvm::json::Value *n = block->get("norm"))
    if (const llvm::json::Object *o = n->getAsObject())
      blockNorm = *o;
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
    AbsolutePosition positions =
        readEnum(er, "positions", AbsolutePosition::None,
                 getMaxEnumValForAbsolutePosition());
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
    spec.embeddingNorm =
        readNormChoice(er, "norm", blockNorm, /*dflt=*/false, "embed_norm");
    er.warnUnknown();
  }

  // Final norm (default: the block's), LM head, final soft-cap.
  spec.finalNorm =
      readNormChoice(r, "final_norm", blockNorm, /*dflt=*/true, "final_norm");
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
  r.ignore({"block", "layers"});
  r.warnUnknown();
  if (!diags.errors.empty() || pattern.empty())
    return failure();

  // Routed experts over all layers, before any layer's tensors are named.
  int64_t expertInstances = 0;
  for (int64_t i = 0; i < layers; ++i)
    if (MoEAttr moe = pattern[i % pattern.size()].block.getMoe())
      expertInstances += moe.getExperts(); // each term <= kMaxExperts
  if (expertInstances > limits::kMaxExpertInstances) {
    r.error("num_layers",
            llvm::formatv("the layers hold {0} routed experts in all; tfc's "
                          "bound is {1} (docs/reliability.md)",
                          expertInstances, limits::kMaxExpertInstances));
    return failure();
  }

  for (int64_t i = 0; i < layers; ++i)
    spec.layers.push_back(pattern[i % pattern.size()]);
  if (failed(nameLayerWeights(spec, layouts::kCard, diags)))
    return failure();
  if (prefix) {
    spec.baseModelPrefix = *prefix;
    applyBaseModelPrefix(spec, *prefix);
  }
  return success();
}

LogicalResult mlir::tfc::readModelCard(const llvm::json::Object &card,
                                       MLIRContext *context, ModelSpec &spec,
                                       ImportDiagnostics &diags) {
  BlockBuilder builder(context, diags);
  return CardReader(builder).read(card, spec);
}
