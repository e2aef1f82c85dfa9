//===- TFCAttrs.h - tfc enums and attributes --------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCATTRS_H
#define TFC_DIALECT_TFC_IR_TFCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "tfc/Dialect/TFC/IR/TFCEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tfc/Dialect/TFC/IR/TFCAttrs.h.inc"

namespace mlir::tfc {
/// A number as a user writes it (0.5, 1e-05, 8), for messages: diagnostics
/// and formatv print doubles as 5.000000e-01 or 0.50.
std::string formatNumber(double value);
} // namespace mlir::tfc

#endif // TFC_DIALECT_TFC_IR_TFCATTRS_H
