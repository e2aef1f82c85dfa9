//===- RopeParameters.cpp - HF RoPE settings in either config form --------===//
//
// Hugging Face writes RoPE settings two ways: 4.x configs carry `rope_theta`
// and `rope_scaling` at top level; configs saved by v5 fold both into one
// `rope_parameters` dict (docs/families.md, section 0.1). Both mean the same.
//
//===----------------------------------------------------------------------===//
#include "Families.h"

using namespace mlir;
using namespace mlir::tfc;

static constexpr llvm::StringLiteral kAcceptedScaling =
    "accepted: \"default\", \"linear\", \"llama3\"";

/// The scaling in `r` (a rope_scaling or rope_parameters object) of `type`;
/// binds its parameters to their fields. `originalKey` is the spelling of
/// the original context.
static RopeScalingAttr readScaling(ConfigReader &r, BlockBuilder &b,
                                   llvm::StringRef type) {
  FieldOrigins &o = b.origins();
  if (type == "linear") {
    double factor = r.requireFloat("factor");
    o.bind("factor", r.where("factor"));
    return b.get<RopeScalingAttr>("scaling", RopeScalingKind::Linear,
                                  f64(factor), noF64(), noF64(), int64_t(0));
  }
  double factor = r.requireFloat("factor");
  double low = r.requireFloat("low_freq_factor");
  double high = r.requireFloat("high_freq_factor");
  int64_t original = r.requireInt("original_max_position_embeddings");
  o.bind("factor", r.where("factor"));
  o.bind("low_freq_factor", r.where("low_freq_factor"));
  o.bind("high_freq_factor", r.where("high_freq_factor"));
  o.bind("original_max_position", r.where("original_max_position_embeddings"));
  if (!r.getDiags().errors.empty())
    return {};
  return b.get<RopeScalingAttr>("scaling", RopeScalingKind::Llama3, f64(factor),
                                optF64(low), optF64(high), original);
}

RopeAttr mlir::tfc::readHFRope(ConfigReader &c, BlockBuilder &b,
                               const RopeDefaults &defaults) {
  // v5 `rope_parameters` wins over the 4.x keys when both are written
  // (PreTrainedConfig.convert_rope_params_to_dict).
  bool v5 = c.has("rope_parameters");
  if (v5)
    c.ignore({"rope_theta", "rope_scaling"});
  llvm::StringRef dictKey = v5 ? "rope_parameters" : "rope_scaling";
  const llvm::json::Object *dict = c.optObject(dictKey);
  if (v5 && !dict)
    return {}; // not an object: optObject reported it

  auto build = [&](double theta, RopeScalingAttr scaling) -> RopeAttr {
    if (!c.getDiags().errors.empty())
      return {};
    return b.get<RopeAttr>("rope", f64(theta), optF64(defaults.fraction),
                           defaults.style, scaling);
  };
  double theta = defaults.theta;
  if (!v5) {
    theta = c.getFloat(defaults.thetaKey, defaults.theta);
    b.origins().bind("theta", c.where(defaults.thetaKey));
  }

  // The type decides whether tfc can express the scaling at all; check it
  // first so the error names the type, not a key of the unsupported kind.
  // HF: rope_scaling.get("rope_type", rope_scaling.get("type")).
  if (!dict)
    return build(theta, {});
  ConfigReader r(*dict, c.getDiags(), c.where(dictKey));
  llvm::StringRef typeKey = r.has("rope_type") ? "rope_type" : "type";
  std::string type = "default";
  if (r.has(typeKey)) {
    std::optional<std::string> t = r.optString(typeKey);
    if (!t)
      return {}; // not a string: reported
    type = *t;
  }
  r.ignore({"rope_type", "type"});
  if (type != "default" && type != "linear" && type != "llama3") {
    r.error(typeKey, "unsupported RoPE scaling \"" + type + "\"" +
                         defaults.note + "; " + kAcceptedScaling);
    return {};
  }
  if (v5) {
    theta = r.getFloat("rope_theta", defaults.theta);
    b.origins().bind("theta", r.where("rope_theta"));
    // A family reads partial_rotary_factor from here itself.
    r.ignore({"partial_rotary_factor"});
  }
  RopeScalingAttr scaling;
  if (type != "default") {
    scaling = readScaling(r, b, type);
    if (!scaling)
      return {};
  }
  r.warnUnknown();
  return build(theta, scaling);
}
