//===- RopeParameters.cpp - HF RoPE settings in either config form --------===//
#include "RopeParameters.h"

using namespace mlir;
using namespace mlir::tfc;

static constexpr llvm::StringLiteral kAcceptedScaling =
    "accepted: \"default\", \"linear\", \"llama3\"";

void mlir::tfc::readHFRope(ConfigReader &c, RopeSpec &rope, double defaultTheta,
                           llvm::StringRef note) {
  // v5 `rope_parameters` wins over the 4.x keys when both are written
  // (PreTrainedConfig.convert_rope_params_to_dict).
  bool v5 = c.has("rope_parameters");
  if (v5)
    c.ignore({"rope_theta", "rope_scaling"});
  llvm::StringRef dictKey = v5 ? "rope_parameters" : "rope_scaling";
  const llvm::json::Object *dict = c.optObject(dictKey);
  if (v5 && !dict)
    return; // not an object: optObject reported it
  if (!v5)
    rope.theta = c.getFloat("rope_theta", defaultTheta);

  // The type decides whether tfc can express the scaling at all; check it
  // first so the error names the type, not a key of the unsupported kind.
  // HF: rope_scaling.get("rope_type", rope_scaling.get("type")).
  std::string type = "default";
  llvm::StringRef typeKey;
  if (dict) {
    ConfigReader peek(*dict, c.getDiags(), c.where(dictKey));
    typeKey = peek.has("rope_type") ? "rope_type" : "type";
    if (peek.has(typeKey)) {
      std::optional<std::string> t = peek.optString(typeKey);
      if (!t)
        return; // not a string: reported
      type = *t;
    }
    if (type != "default" && type != "linear" && type != "llama3") {
      peek.error(typeKey, "unsupported RoPE scaling \"" + type + "\"" + note +
                              "; " + kAcceptedScaling);
      return;
    }
  }

  if (!v5) {
    if (dict)
      readRopeScaling(c, rope);
    return;
  }

  ConfigReader p(*dict, c.getDiags(), c.where(dictKey));
  rope.theta = p.getFloat("rope_theta", defaultTheta);
  p.ignore({"rope_type", "type"});
  if (type == "linear") {
    RopeSpec::Scaling s;
    s.kind = RopeScalingKind::Linear;
    s.factor = p.requireFloat("factor");
    rope.scaling = s;
  } else if (type == "llama3") {
    RopeSpec::Scaling s;
    s.kind = RopeScalingKind::Llama3;
    s.factor = p.requireFloat("factor");
    s.lowFreqFactor = p.requireFloat("low_freq_factor");
    s.highFreqFactor = p.requireFloat("high_freq_factor");
    s.originalMaxPosition = p.requireInt("original_max_position_embeddings");
    rope.scaling = s;
  }
  p.warnUnknown();
}
