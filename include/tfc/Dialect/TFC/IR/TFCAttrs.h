//===- TFCAttrs.h - tfc enums and attributes --------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCATTRS_H
#define TFC_DIALECT_TFC_IR_TFCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "tfc/Dialect/TFC/IR/TFCEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tfc/Dialect/TFC/IR/TFCAttrs.h.inc"

#endif // TFC_DIALECT_TFC_IR_TFCATTRS_H
