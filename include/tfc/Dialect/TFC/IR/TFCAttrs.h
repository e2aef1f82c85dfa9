//===- TFCAttrs.h - tfc enums and attributes --------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCATTRS_H
#define TFC_DIALECT_TFC_IR_TFCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "tfc/Dialect/TFC/IR/WeightRole.h"

#include "tfc/Dialect/TFC/IR/TFCEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tfc/Dialect/TFC/IR/TFCAttrs.h.inc"

namespace mlir::tfc {
/// A number as a user writes it (0.5, 1e-05, 8), for messages: diagnostics
/// and formatv print doubles as 5.000000e-01 or 0.50.
std::string formatNumber(double value);

/// The norms a placement puts around one sublayer (attention or
/// feed-forward), each named by the block-norm role whose weight it reads.
struct SublayerNormSlots {
  /// Normalises what the sublayer reads.
  std::optional<WeightRoleKind> input;
  /// Normalises what the sublayer returns, before the residual add.
  std::optional<WeightRoleKind> output;
  /// Normalises the residual sum.
  std::optional<WeightRoleKind> afterAdd;
};

/// What a norm placement means. A sublayer computes
///   in = input ? n_input(x) : x
///   y  = residual + output ? n_output(f(in)) : f(in)
///   y  = afterAdd ? n_afterAdd(y) : y
/// where residual is x (`in` with `normedResidual`), scaled by
/// `deepnorm_alpha` with `scaledResidual`.
struct NormSlots {
  SublayerNormSlots attention;
  SublayerNormSlots feedForward;
  /// The residual is alpha * x (DeepNorm: the block's `deepnorm_alpha`).
  bool scaledResidual = false;
  /// The residual is the sublayer's normalised input, not x (HF bloom's
  /// apply_residual_connection_post_layernorm).
  bool normedResidual = false;

  /// Whether the sublayers' inputs are the only thing normalised, with a
  /// plain residual: all a parallel block, x + attn(n(x)) + mlp(n'(x)), has.
  bool normalisesOnlyInputs() const {
    auto onlyInput = [](const SublayerNormSlots &s) {
      return s.input && !s.output && !s.afterAdd;
    };
    return onlyInput(attention) && onlyInput(feedForward) && !scaledResidual &&
           !normedResidual;
  }
};

/// The norm slots of `placement` and the roles that fill them: the one
/// definition of what a placement does (DecoderBlockOp's weights and
/// verifier, tfc-expand-blocks).
NormSlots getNormSlots(NormPlacement placement);

} // namespace mlir::tfc

#endif // TFC_DIALECT_TFC_IR_TFCATTRS_H
