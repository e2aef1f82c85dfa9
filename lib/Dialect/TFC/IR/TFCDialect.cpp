//===- TFCDialect.cpp - The tfc dialect -----------------------------------===//
#include "tfc/Dialect/TFC/IR/TFCDialect.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

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
