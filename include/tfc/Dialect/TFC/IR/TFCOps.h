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

#define GET_OP_CLASSES
#include "tfc/Dialect/TFC/IR/TFCOps.h.inc"

#endif // TFC_DIALECT_TFC_IR_TFCOPS_H
