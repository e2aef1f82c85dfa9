//===- TFCDialect.cpp - The tfc dialect and its discardable attributes ----===//
#include "tfc/Dialect/TFC/IR/TFCDialect.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstdint>

using namespace mlir;
using namespace mlir::tfc;

#include "tfc/Dialect/TFC/IR/TFCOpsDialect.cpp.inc"

void TFCDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "tfc/Dialect/TFC/IR/TFCOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Discardable attributes (their names and meaning: TFCDialect.h)
//===----------------------------------------------------------------------===//

namespace {
/// Checks one discardable attribute; every error names it, and the argument
/// it is on.
struct AttrCheck {
  Operation *op;
  NamedAttribute attr;
  std::optional<unsigned> arg = std::nullopt;

  InFlightDiagnostic error() const {
    InFlightDiagnostic diag = op->emitOpError();
    if (arg)
      diag << "argument " << *arg << ": ";
    diag << "'" << attr.getName().strref() << "' ";
    return diag;
  }

  LogicalResult on(bool placed, StringRef where) const {
    if (placed)
      return success();
    return error() << "may only appear on " << where;
  }

  /// An i64 of at least `min`.
  FailureOr<int64_t> i64(int64_t min) const {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || !value.getType().isSignlessInteger(64)) {
      error() << "must be an i64 integer attribute, got " << attr.getValue();
      return failure();
    }
    if (value.getInt() < min) {
      error() << "must be " << (min > 0 ? "positive" : "non-negative")
              << ", got " << value.getInt();
      return failure();
    }
    return value.getInt();
  }

  LogicalResult nonEmptyString(Attribute value) const {
    auto string = dyn_cast<StringAttr>(value);
    if (!string)
      return error() << "must be a string attribute, got " << value;
    if (string.getValue().empty())
      return error() << "must not be empty";
    return success();
  }
};
} // namespace

/// The layers of a layer function: distinct, non-negative and below the
/// module's tfc.num_layers when it has one.
static LogicalResult verifyLayers(const AttrCheck &check) {
  auto layers = dyn_cast<DenseI64ArrayAttr>(check.attr.getValue());
  if (!layers || layers.empty())
    return check.error() << "must be a non-empty array<i64>, got "
                         << check.attr.getValue();
  auto module = check.op->getParentOfType<ModuleOp>();
  auto count = module ? module->getAttrOfType<IntegerAttr>(kNumLayersAttrName)
                      : IntegerAttr();
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t layer : layers.asArrayRef()) {
    if (layer < 0 || (count && layer >= count.getInt()))
      return check.error() << "lists layer " << layer << " outside [0, "
                           << (count ? std::to_string(count.getInt())
                                     : std::string("inf"))
                           << ")";
    if (!seen.insert(layer).second)
      return check.error() << "lists layer " << layer << " twice";
  }
  return success();
}

LogicalResult TFCDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  AttrCheck check{op, attr};
  StringRef name = attr.getName().strref();
  bool onModule = isa<ModuleOp>(op);
  if (name == kModelTypeAttrName || name == kBaseModelPrefixAttrName)
    return failure(failed(check.on(onModule, "a builtin.module")) ||
                   failed(check.nonEmptyString(attr.getValue())));
  if (name == kNumLayersAttrName || name == kTrainedContextAttrName)
    return failure(failed(check.on(onModule, "a builtin.module")) ||
                   failed(check.i64(/*min=*/0)));
  if (name == kPositionLimitAttrName)
    return failure(failed(check.on(onModule, "a builtin.module")) ||
                   failed(check.i64(/*min=*/1)));
  if (name == kOptionalWeightsAttrName) {
    if (failed(check.on(onModule, "a builtin.module")))
      return failure();
    auto names = dyn_cast<ArrayAttr>(attr.getValue());
    if (!names)
      return check.error() << "must be an array of strings, got "
                           << attr.getValue();
    for (Attribute weight : names)
      if (failed(check.nonEmptyString(weight)))
        return failure();
    return success();
  }
  if (name == kLayersAttrName)
    return failure(
        failed(check.on(isa<FunctionOpInterface>(op), "a function")) ||
        failed(verifyLayers(check)));
  if (name == kKVTileAttrName)
    return failure(failed(check.on(isa<AttentionOp>(op), "tfc.attention")) ||
                   failed(check.i64(/*min=*/1)));
  if (name == kKVChunkAttrName || name == kQueryTileAttrName) {
    if (failed(check.on(isa<AttentionOp>(op), "tfc.attention")) ||
        failed(check.i64(/*min=*/1)))
      return failure();
    // Chunks and query blocks are items of the flash form.
    if (!op->hasAttr(kKVTileAttrName))
      return check.error() << "needs '" << kKVTileAttrName << "'";
    return success();
  }
  if (name == kDispatchAttrName || name == kGatedExpertsAttrName) {
    if (failed(check.on(isa<MoEOp>(op), "tfc.moe")))
      return failure();
    if (!isa<UnitAttr>(attr.getValue()))
      return check.error() << "must be a unit attribute, got "
                           << attr.getValue();
    if (name == kGatedExpertsAttrName &&
        cast<MoEOp>(op).getGateWeights().empty())
      return check.error() << "needs an FFN with gate weights (a GLU)";
    return success();
  }
  if (name == kArgNameAttrName || name == kKVWindowAttrName)
    return check.error() << "may only appear on a function argument";
  return check.error() << "is not an attribute of the tfc dialect";
}

LogicalResult TFCDialect::verifyRegionArgAttribute(Operation *op,
                                                   unsigned regionIndex,
                                                   unsigned argIndex,
                                                   NamedAttribute attr) {
  AttrCheck check{op, attr, argIndex};
  auto func = dyn_cast<FunctionOpInterface>(op);
  StringRef name = attr.getName().strref();
  if (name == kArgNameAttrName)
    return failure(
        failed(check.on(func && regionIndex == 0, "a function argument")) ||
        failed(check.nonEmptyString(attr.getValue())));
  if (name == kKVWindowAttrName) {
    if (failed(check.on(func && regionIndex == 0, "a function argument")))
      return failure();
    FailureOr<int64_t> window = check.i64(/*min=*/1);
    if (failed(window))
      return failure();
    // The ring has 2 * window - 1 rows (tfc-create-entry-points).
    if (*window > INT64_MAX / 4)
      return check.error() << "must be below 2^61, got " << *window;
    // A function's argument types, not its block's: a declaration has none.
    auto cache = dyn_cast<MemRefType>(func.getArgumentTypes()[argIndex]);
    if (!cache || cache.getRank() != 2)
      return check.error() << "must be on a KV cache (a 2-D memref), got "
                           << func.getArgumentTypes()[argIndex];
    return success();
  }
  return check.error() << "is not an argument attribute of the tfc dialect";
}

LogicalResult TFCDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                      unsigned result,
                                                      NamedAttribute attr) {
  return op->emitOpError() << "result " << result << ": '"
                           << attr.getName().strref()
                           << "' is not a result attribute of the tfc dialect "
                           << "(it has none)";
}

LogicalResult mlir::tfc::verifyOwnAttributesOnly(Operation *op) {
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    if (attr.getName().getValue().contains('.'))
      continue;
    InFlightDiagnostic diag = op->emitOpError()
                              << "has no attribute '" << attr.getName().getValue()
                              << "'";
    ArrayRef<StringAttr> names = op->getRegisteredInfo()->getAttributeNames();
    if (names.empty()) {
      diag << "; it takes none";
    } else {
      diag << "; it takes ";
      llvm::interleaveComma(names, diag,
                            [&](StringAttr name) { diag << name.getValue(); });
    }
    return diag;
  }
  return success();
}
