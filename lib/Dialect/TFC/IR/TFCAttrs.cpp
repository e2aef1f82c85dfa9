//===- TFCAttrs.cpp - tfc attribute verifiers and helpers -----------------===//
#include "tfc/Dialect/TFC/IR/TFCAttrs.h"
#include "tfc/Dialect/TFC/IR/TFCDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::tfc;

#include "tfc/Dialect/TFC/IR/TFCEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tfc/Dialect/TFC/IR/TFCAttrs.cpp.inc"

void TFCDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tfc/Dialect/TFC/IR/TFCAttrs.cpp.inc"
      >();
}

NormSlots mlir::tfc::getNormSlots(NormPlacement placement) {
  using Role = WeightRoleKind;
  NormSlots slots;
  SublayerNormSlots &attn = slots.attention, &ffn = slots.feedForward;
  switch (placement) {
  case NormPlacement::Pre:
    attn.input = Role::AttnNorm;
    ffn.input = Role::FFNNorm;
    break;
  case NormPlacement::Post:
    attn.afterAdd = Role::AttnNorm;
    ffn.afterAdd = Role::FFNNorm;
    break;
  case NormPlacement::Sandwich:
    attn.input = Role::AttnNorm;
    attn.output = Role::PostAttnNorm;
    ffn.input = Role::FFNNorm;
    ffn.output = Role::PostFFNNorm;
    break;
  case NormPlacement::DeepNorm:
    attn.afterAdd = Role::AttnNorm;
    ffn.afterAdd = Role::FFNNorm;
    slots.scaledResidual = true;
    break;
  case NormPlacement::PostSublayer:
    attn.output = Role::PostAttnNorm;
    ffn.output = Role::PostFFNNorm;
    break;
  case NormPlacement::PreNormedResidual:
    attn.input = Role::AttnNorm;
    ffn.input = Role::FFNNorm;
    slots.normedResidual = true;
    break;
  }
  return slots;
}

std::string mlir::tfc::formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}

/// Fails with "`name` must be positive" unless `attr` is absent or positive.
static LogicalResult checkPositive(function_ref<InFlightDiagnostic()> emitError,
                                   StringRef name,
                                   std::optional<APFloat> value) {
  if (value && !(value->convertToDouble() > 0.0))
    return emitError() << "'" << name << "' must be positive, got "
                       << formatNumber(value->convertToDouble());
  return success();
}

static LogicalResult checkPositive(function_ref<InFlightDiagnostic()> emitError,
                                   StringRef name, int64_t value) {
  if (value <= 0)
    return emitError() << "'" << name << "' must be positive, got " << value;
  return success();
}

LogicalResult NormAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               NormKind kind, APFloat eps,
                               std::optional<APFloat> weightOffset, bool bias) {
  if (failed(checkPositive(emitError, "eps", eps)))
    return failure();
  if (bias && kind == NormKind::RMSNorm)
    return emitError() << "'bias' needs kind layer_norm; rms_norm has none";
  // Only RMSNorm has the (1 + w) form (gemma); a LayerNorm offset would be
  // accepted and silently not applied by the op-level tfc.layer_norm.
  if (weightOffset && kind == NormKind::LayerNorm)
    return emitError() << "'weight_offset' needs kind rms_norm (the 1 + w "
                          "form); layer_norm has none";
  return success();
}

LogicalResult
RopeScalingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        RopeScalingKind kind, APFloat factor,
                        std::optional<APFloat> lowFreqFactor,
                        std::optional<APFloat> highFreqFactor,
                        int64_t originalMaxPosition) {
  if (failed(checkPositive(emitError, "factor", factor)))
    return failure();
  if (kind != RopeScalingKind::Llama3)
    return success();
  if (!lowFreqFactor || !highFreqFactor || originalMaxPosition <= 0)
    return emitError() << "llama3 rope scaling needs 'low_freq_factor', "
                          "'high_freq_factor' and a positive "
                          "'original_max_position'";
  double low = lowFreqFactor->convertToDouble();
  double high = highFreqFactor->convertToDouble();
  if (!(high > low))
    return emitError() << "'high_freq_factor' (" << formatNumber(high)
                       << ") must exceed 'low_freq_factor' (" << formatNumber(low)
                       << ")";
  return success();
}

LogicalResult RopeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               APFloat theta, std::optional<APFloat> fraction,
                               RopeStyle style, RopeScalingAttr scaling) {
  if (failed(checkPositive(emitError, "theta", theta)))
    return failure();
  if (fraction) {
    double f = fraction->convertToDouble();
    if (!(f > 0.0 && f <= 1.0))
      return emitError() << "'fraction' must be in (0, 1], got " << formatNumber(f);
  }
  return success();
}

double RopeAttr::getFractionValue() const {
  return getFraction() ? getFraction()->convertToDouble() : 1.0;
}

int64_t RopeAttr::getRotaryDim(int64_t headDim) const {
  // HF gpt_neox: int(head_size * rotary_pct); phi the same with
  // partial_rotary_factor.
  return static_cast<int64_t>(static_cast<double>(headDim) *
                              getFractionValue());
}

SmallVector<float> RopeAttr::getInverseFrequencies(int64_t rotaryDim) const {
  // HF _compute_default_rope_parameters: the exponent 2k / d and the power are
  // taken in f32 (torch.arange(...).float() / dim, base ** ...).
  double theta = getTheta().convertToDouble();
  SmallVector<float> inv;
  for (int64_t k = 0; k < rotaryDim / 2; ++k) {
    float exponent = static_cast<float>(2 * k) / static_cast<float>(rotaryDim);
    inv.push_back(1.0f / std::pow(static_cast<float>(theta), exponent));
  }
  if (RopeScalingAttr scaling = getScaling())
    scaling.scaleInverseFrequencies(inv);
  return inv;
}

void RopeScalingAttr::scaleInverseFrequencies(
    MutableArrayRef<float> inverseFrequencies) const {
  double factor = getFactor().convertToDouble();
  if (getKind() == RopeScalingKind::Linear) {
    for (float &f : inverseFrequencies)
      f = static_cast<float>(f / factor);
    return;
  }
  // HF _compute_llama3_parameters: wavelengths longer than original / low are
  // divided by the factor, shorter than original / high kept, and those in
  // between interpolated.
  double low = getLowFreqFactor()->convertToDouble();
  double high = getHighFreqFactor()->convertToDouble();
  double original = static_cast<double>(getOriginalMaxPosition());
  double lowWavelen = original / low, highWavelen = original / high;
  for (float &f : inverseFrequencies) {
    double wavelen = 2.0 * M_PI / f;
    if (wavelen > lowWavelen) {
      f = static_cast<float>(f / factor);
    } else if (wavelen >= highWavelen) {
      double smooth = (original / wavelen - low) / (high - low);
      f = static_cast<float>((1.0 - smooth) * f / factor + smooth * f);
    }
  }
}

SmallVector<float> AlibiAttr::getSlopes(int64_t heads) const {
  // HF bloom build_alibi_tensor: 2^(-max_bias * i / n) for the largest power
  // of two n <= heads, then every other slope of 2n for the remaining heads.
  double maxBias = getMaxBias().convertToDouble();
  int64_t closest = int64_t(1)
                    << static_cast<int64_t>(std::floor(std::log2(heads)));
  double base = std::pow(2.0, -maxBias / closest);
  SmallVector<float> slopes;
  for (int64_t i = 1; i <= closest; ++i)
    slopes.push_back(static_cast<float>(std::pow(base, i)));
  if (closest != heads) {
    double extraBase = std::pow(2.0, -maxBias / (2 * closest));
    for (int64_t i = 0; i < heads - closest; ++i)
      slopes.push_back(static_cast<float>(std::pow(extraBase, 2 * i + 1)));
  }
  return slopes;
}

LogicalResult
RelativeBiasAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         int64_t buckets, int64_t maxDistance,
                         bool bidirectional) {
  // HF divides by max_exact and by log(max_distance / max_exact): both must
  // be positive for a bucket to exist.
  int64_t minBuckets = bidirectional ? 4 : 2;
  if (buckets < minBuckets)
    return emitError() << "'buckets' must be at least " << minBuckets
                       << (bidirectional ? " with 'bidirectional'" : "")
                       << " (a direction needs an exact bucket), got "
                       << buckets;
  int64_t exact = (bidirectional ? buckets / 2 : buckets) / 2;
  if (maxDistance <= exact)
    return emitError() << "'max_distance' (" << maxDistance
                       << ") must exceed the exact buckets of a direction ("
                       << (bidirectional ? "buckets / 4" : "buckets / 2")
                       << " = " << exact << ")";
  return success();
}

int64_t RelativeBiasAttr::getExactBuckets() const {
  return (getBidirectional() ? getBuckets() / 2 : getBuckets()) / 2;
}

int64_t RelativeBiasAttr::getBucket(int64_t relativePosition) const {
  // HF T5Attention._relative_position_bucket, step by step: torch computes
  // `log(r.float() / max_exact) / math.log(max_distance / max_exact) *
  // (num_buckets - max_exact)` in f32 (the Python scalars rounded to f32)
  // and `.to(torch.long)` truncates.
  int64_t buckets = getBuckets(), bucket = 0, r = relativePosition;
  if (getBidirectional()) {
    buckets /= 2;
    if (r > 0)
      bucket += buckets;
    r = std::abs(r);
  } else {
    r = -std::min<int64_t>(r, 0);
  }
  int64_t exact = getExactBuckets();
  if (r < exact)
    return bucket + r;
  float ratio = static_cast<float>(r) / static_cast<float>(exact);
  float denominator = static_cast<float>(std::log(
      static_cast<double>(getMaxDistance()) / static_cast<double>(exact)));
  float scaled =
      std::log(ratio) / denominator * static_cast<float>(buckets - exact);
  int64_t large = exact + static_cast<int64_t>(scaled);
  return bucket + std::min(large, buckets - 1);
}

LogicalResult MLAAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              int64_t qLoraRank, int64_t kvLoraRank,
                              int64_t qkNopeHeadDim, int64_t qkRopeHeadDim,
                              int64_t vHeadDim) {
  if (qLoraRank < 0)
    return emitError() << "'q_lora_rank' must be 0 (no bottleneck) or "
                          "positive, got "
                       << qLoraRank;
  if (failed(checkPositive(emitError, "kv_lora_rank", kvLoraRank)) ||
      failed(checkPositive(emitError, "qk_nope_head_dim", qkNopeHeadDim)) ||
      failed(checkPositive(emitError, "qk_rope_head_dim", qkRopeHeadDim)) ||
      failed(checkPositive(emitError, "v_head_dim", vHeadDim)))
    return failure();
  if (qkRopeHeadDim % 2)
    return emitError() << "'qk_rope_head_dim' must be even, got "
                       << qkRopeHeadDim;
  return success();
}

LogicalResult
AttentionAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      AttentionKind kind, int64_t heads, int64_t kvHeads,
                      int64_t headDim, std::optional<APFloat> scale,
                      std::optional<int64_t> window,
                      std::optional<APFloat> softcap, QKNorm qkNorm,
                      bool qkvBias, bool outBias,
                      std::optional<APFloat> clipQkv, MLAAttr mla) {
  if (failed(checkPositive(emitError, "heads", heads)) ||
      failed(checkPositive(emitError, "kv_heads", kvHeads)) ||
      failed(checkPositive(emitError, "head_dim", headDim)) ||
      failed(checkPositive(emitError, "scale", scale)) ||
      failed(checkPositive(emitError, "softcap", softcap)) ||
      failed(checkPositive(emitError, "clip_qkv", clipQkv)))
    return failure();
  if (window && *window <= 0)
    return emitError() << "'window' must be positive, got " << *window;
  if (heads % kvHeads)
    return emitError() << "'kv_heads' (" << kvHeads << ") must divide 'heads' ("
                       << heads << ")";
  switch (kind) {
  case AttentionKind::MHA:
    if (kvHeads != heads)
      return emitError() << "mha needs 'kv_heads' == 'heads', got kv_heads = "
                         << kvHeads << ", heads = " << heads;
    break;
  case AttentionKind::MQA:
    if (kvHeads != 1)
      return emitError() << "mqa needs 'kv_heads' = 1, got " << kvHeads;
    break;
  case AttentionKind::GQA:
    break;
  case AttentionKind::MLA:
    if (!mla)
      return emitError() << "mla attention needs the 'mla' shapes";
    if (kvHeads != heads)
      return emitError() << "mla needs 'kv_heads' == 'heads', got kv_heads = "
                         << kvHeads << ", heads = " << heads;
    if (headDim != mla.getQkNopeHeadDim() + mla.getQkRopeHeadDim())
      return emitError() << "mla 'head_dim' (" << headDim
                         << ") must be qk_nope_head_dim + qk_rope_head_dim ("
                         << mla.getQkNopeHeadDim() + mla.getQkRopeHeadDim()
                         << ")";
    if (qkNorm != QKNorm::None)
      return emitError() << "mla attention has no 'qk_norm'";
    // getExpectedWeights gives MLA no q/k/v bias roles: one set would be
    // silently ignored.
    if (qkvBias)
      return emitError() << "mla projections have no biases: 'qkv_bias' "
                            "must be false";
    break;
  }
  if (mla && kind != AttentionKind::MLA)
    return emitError() << "'mla' shapes given for "
                       << stringifyAttentionKind(kind) << " attention";
  return success();
}

double AttentionAttr::getScaleValue() const {
  if (getScale())
    return getScale()->convertToDouble();
  return 1.0 / std::sqrt(static_cast<double>(getHeadDim()));
}

int64_t AttentionAttr::getValueHeadDim() const {
  return getMla() ? getMla().getVHeadDim() : getHeadDim();
}

int64_t AttentionAttr::getKVFloatsPerToken() const {
  // MLA attends in the absorbed form over one cached [c | k_rope] per
  // position, the value being c (tfc-expand-blocks).
  if (MLAAttr mla = getMla())
    return mla.getKvLoraRank() + mla.getQkRopeHeadDim();
  return getKvHeads() * (getHeadDim() + getValueHeadDim());
}

LogicalResult FFNAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              Activation activation, bool gated,
                              int64_t intermediate, bool bias) {
  return checkPositive(emitError, "intermediate", intermediate);
}

LogicalResult MoEAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              int64_t experts, int64_t topK,
                              int64_t intermediate, int64_t shared,
                              int64_t sharedIntermediate, bool renormalize,
                              std::optional<APFloat> routedScale) {
  if (failed(checkPositive(emitError, "experts", experts)) ||
      failed(checkPositive(emitError, "top_k", topK)) ||
      failed(checkPositive(emitError, "intermediate", intermediate)) ||
      failed(checkPositive(emitError, "routed_scale", routedScale)))
    return failure();
  if (topK > experts)
    return emitError() << "'top_k' (" << topK << ") must not exceed 'experts' ("
                       << experts << ")";
  if (shared < 0)
    return emitError() << "'shared' must not be negative, got " << shared;
  if ((shared > 0) != (sharedIntermediate > 0))
    return emitError() << "'shared' (" << shared
                       << ") and 'shared_intermediate' (" << sharedIntermediate
                       << ") must both be positive or both be 0";
  return success();
}
