//===- WeightRole.cpp - weight roles from WeightRoles.def -----------------===//
#include "tfc/Dialect/TFC/IR/WeightRole.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <cassert>

using namespace mlir::tfc;

llvm::StringRef mlir::tfc::stringifyWeightRoleKind(WeightRoleKind kind) {
  switch (kind) {
#define TFC_WEIGHT_ROLE(Name, Spelling, Sublayer)                              \
  case WeightRoleKind::Name:                                                   \
    return Spelling;
#include "tfc/Dialect/TFC/IR/WeightRoles.def"
  }
  llvm_unreachable("unknown weight role kind");
}

std::optional<WeightRoleKind>
mlir::tfc::symbolizeWeightRoleKind(llvm::StringRef spelling) {
  return llvm::StringSwitch<std::optional<WeightRoleKind>>(spelling)
#define TFC_WEIGHT_ROLE(Name, Spelling, Sublayer)                              \
  .Case(Spelling, WeightRoleKind::Name)
#include "tfc/Dialect/TFC/IR/WeightRoles.def"
      .Default(std::nullopt);
}

static WeightSublayer sublayerOf(WeightRoleKind kind) {
  switch (kind) {
#define TFC_WEIGHT_ROLE(Name, Spelling, Sublayer)                              \
  case WeightRoleKind::Name:                                                   \
    return WeightSublayer::Sublayer;
#include "tfc/Dialect/TFC/IR/WeightRoles.def"
  }
  llvm_unreachable("unknown weight role kind");
}

/// The weight `kind` is the bias of.
static std::optional<WeightRoleKind> biasedKindOf(WeightRoleKind kind) {
  switch (kind) {
#define TFC_WEIGHT_ROLE(Name, Spelling, Sublayer)                              \
  case WeightRoleKind::Name:                                                   \
    return std::nullopt;
#define TFC_BIAS_ROLE(Name, Spelling, Sublayer, BiasOf)                        \
  case WeightRoleKind::Name:                                                   \
    return WeightRoleKind::BiasOf;
#include "tfc/Dialect/TFC/IR/WeightRoles.def"
  }
  llvm_unreachable("unknown weight role kind");
}

/// The bias of `kind`. A switch on the biased kind: a weight with two biases
/// in the table would be a duplicate case, so the compiler rejects it.
static std::optional<WeightRoleKind> biasKindOf(WeightRoleKind kind) {
  switch (kind) {
#define TFC_WEIGHT_ROLE(Name, Spelling, Sublayer)
#define TFC_BIAS_ROLE(Name, Spelling, Sublayer, BiasOf)                        \
  case WeightRoleKind::BiasOf:                                                 \
    return WeightRoleKind::Name;
#include "tfc/Dialect/TFC/IR/WeightRoles.def"
  default:
    return std::nullopt;
  }
}

/// Whether an expert (routed or shared) can hold a weight of `kind`.
static bool isExpertKind(WeightRoleKind kind) {
  return sublayerOf(kind) == WeightSublayer::FeedForward && !biasedKindOf(kind);
}

WeightRole WeightRole::routedExpert(WeightRoleKind kind, int64_t expert) {
  assert(isExpertKind(kind) && expert >= 0 && "not an expert's weight");
  return WeightRole(kind, WeightScope::RoutedExpert, expert);
}

WeightRole WeightRole::sharedExpert(WeightRoleKind kind) {
  assert(isExpertKind(kind) && "not an expert's weight");
  return WeightRole(kind, WeightScope::SharedExpert, 0);
}

int64_t WeightRole::getExpert() const {
  assert(scope == WeightScope::RoutedExpert && "not a routed expert's weight");
  return expert;
}

WeightSublayer WeightRole::getSublayer() const { return sublayerOf(kind); }

std::optional<WeightRole> WeightRole::getBiasedRole() const {
  if (std::optional<WeightRoleKind> biased = biasedKindOf(kind))
    return WeightRole(*biased, scope, expert);
  return std::nullopt;
}

std::optional<WeightRole> WeightRole::getBiasRole() const {
  if (scope != WeightScope::Layer)
    return std::nullopt;
  if (std::optional<WeightRoleKind> bias = biasKindOf(kind))
    return WeightRole(*bias);
  return std::nullopt;
}

std::string WeightRole::str() const {
  llvm::StringRef leaf = stringifyWeightRoleKind(kind);
  switch (scope) {
  case WeightScope::Layer:
    return leaf.str();
  case WeightScope::RoutedExpert:
    return ("expert." + llvm::Twine(expert) + "." + leaf).str();
  case WeightScope::SharedExpert:
    return ("shared." + leaf).str();
  }
  llvm_unreachable("unknown weight scope");
}

std::optional<WeightRole> WeightRole::parse(llvm::StringRef spelling) {
  llvm::StringRef rest = spelling;
  std::optional<WeightRole> role;
  if (rest.consume_front("expert.")) {
    auto [index, leaf] = rest.split('.');
    int64_t expert;
    std::optional<WeightRoleKind> kind = symbolizeWeightRoleKind(leaf);
    if (index.getAsInteger(10, expert) || expert < 0 || !kind ||
        !isExpertKind(*kind))
      return std::nullopt;
    role = routedExpert(*kind, expert);
  } else if (rest.consume_front("shared.")) {
    std::optional<WeightRoleKind> kind = symbolizeWeightRoleKind(rest);
    if (!kind || !isExpertKind(*kind))
      return std::nullopt;
    role = sharedExpert(*kind);
  } else if (std::optional<WeightRoleKind> kind =
                 symbolizeWeightRoleKind(rest)) {
    role = WeightRole(*kind);
  }
  // One spelling per role: "expert.03.up_proj" is not "expert.3.up_proj".
  if (!role || role->str() != spelling)
    return std::nullopt;
  return role;
}
