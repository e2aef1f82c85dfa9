//===- TFCOps.h - tfc operations --------------------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCOPS_H
#define TFC_DIALECT_TFC_IR_TFCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "tfc/Dialect/TFC/IR/TFCAttrs.h"
#include "tfc/Dialect/TFC/IR/TFCDialect.h"
#include "tfc/Dialect/TFC/IR/WeightRole.h"

namespace mlir::tfc {
/// Fails on a discardable attribute of `op` whose name has no dialect prefix,
/// naming the attributes the op takes.
LogicalResult verifyOwnAttributesOnly(Operation *op);

template <typename ConcreteType>
class OwnAttributesOnly
    : public OpTrait::TraitBase<ConcreteType, OwnAttributesOnly> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyOwnAttributesOnly(op);
  }
};

/// Elements of a row per q8_0 block, each block with one f16 scale.
inline constexpr int64_t kQ8_0BlockSize = 32;
/// The scales of q8_0 `values` [rows, cols]: f16 [rows, cols / 32].
RankedTensorType getQ8_0ScalesType(RankedTensorType values);
} // namespace mlir::tfc

#define GET_OP_CLASSES
#include "tfc/Dialect/TFC/IR/TFCOps.h.inc"

#endif // TFC_DIALECT_TFC_IR_TFCOPS_H
