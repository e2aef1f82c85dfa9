//===- WeightRole.h - a weight role of tfc.decoder_block --------*- C++ -*-===//
//
// A role is a kind from WeightRoles.def and a scope: the layer's own weight,
// routed expert e's or the shared expert's. Its spelling (str) is the key in
// the block's `weights` dictionary, so the IR stays readable text while C++
// names roles by enum.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_DIALECT_TFC_IR_WEIGHTROLE_H
#define TFC_DIALECT_TFC_IR_WEIGHTROLE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::tfc {

enum class WeightRoleKind : uint8_t {
#define TFC_WEIGHT_ROLE(Name, Spelling, Sublayer) Name,
#include "tfc/Dialect/TFC/IR/WeightRoles.def"
};

/// The part of a block a weight belongs to.
enum class WeightSublayer : uint8_t {
  BlockNorm,
  Attention,
  FeedForward,
  Router
};

/// Whose weight a role is: the layer's, a routed expert's or the shared
/// expert's (a MoE's experts hold feed-forward weights only).
enum class WeightScope : uint8_t { Layer, RoutedExpert, SharedExpert };

/// The spelling of a kind ("q_proj"), its scope aside.
llvm::StringRef stringifyWeightRoleKind(WeightRoleKind kind);
std::optional<WeightRoleKind> symbolizeWeightRoleKind(llvm::StringRef spelling);

class WeightRole {
public:
  /// A weight of the layer itself. Implicit, so that a kind reads as the
  /// layer's role of that kind: `linear(x, WeightRoleKind::QProj)`.
  constexpr WeightRole(WeightRoleKind kind) : kind(kind) {}
  /// Feed-forward weight `kind` of routed expert `expert`.
  static WeightRole routedExpert(WeightRoleKind kind, int64_t expert);
  /// Feed-forward weight `kind` of the shared expert.
  static WeightRole sharedExpert(WeightRoleKind kind);

  WeightRoleKind getKind() const { return kind; }
  WeightScope getScope() const { return scope; }
  /// The routed expert's index (WeightScope::RoutedExpert only).
  int64_t getExpert() const;
  WeightSublayer getSublayer() const;
  /// The role this one is the bias of (q_bias: q_proj), if it is a bias.
  std::optional<WeightRole> getBiasedRole() const;
  /// The role that holds this weight's bias when it has one (q_proj: q_bias,
  /// attn_norm: attn_norm_bias); none for a bias, a weight that never has a
  /// bias (q_norm, router) and an expert's weight (experts have no biases).
  std::optional<WeightRole> getBiasRole() const;

  /// The dictionary key: "q_proj", "expert.3.gate_proj", "shared.up_proj".
  std::string str() const;
  /// The role spelt `spelling` (exactly as str() spells it), if any.
  static std::optional<WeightRole> parse(llvm::StringRef spelling);

  friend bool operator==(const WeightRole &a, const WeightRole &b) {
    return a.kind == b.kind && a.scope == b.scope && a.expert == b.expert;
  }
  friend bool operator!=(const WeightRole &a, const WeightRole &b) {
    return !(a == b);
  }

private:
  WeightRole(WeightRoleKind kind, WeightScope scope, int64_t expert)
      : kind(kind), scope(scope), expert(expert) {}

  WeightRoleKind kind;
  WeightScope scope = WeightScope::Layer;
  int64_t expert = 0;
};

} // namespace mlir::tfc

#endif // TFC_DIALECT_TFC_IR_WEIGHTROLE_H
