//===- PendingFamilies.cpp - Families whose readers are being written -----===//
// TEMPORARY during development: each entry is deleted when its family's
// reader lands in its own file; this file is deleted when empty.
#include "Families.h"

using namespace mlir;
using namespace mlir::tfc;

LogicalResult mlir::tfc::readModelCard(const llvm::json::Object &, ModelSpec &,
                                       ImportDiagnostics &diags) {
  diags.error("tfc model cards are not implemented yet");
  return failure();
}
