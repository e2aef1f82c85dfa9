//===- TFCDialect.h - The tfc dialect ---------------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCDIALECT_H
#define TFC_DIALECT_TFC_IR_TFCDIALECT_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "tfc/Dialect/TFC/IR/TFCOpsDialect.h.inc"

#endif // TFC_DIALECT_TFC_IR_TFCDIALECT_H
