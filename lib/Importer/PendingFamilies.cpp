//===- PendingFamilies.cpp - Families whose readers are being written -----===//
// TEMPORARY during development: each entry is deleted when its family's
// reader lands in its own file; this file is deleted when empty.
#include "Families.h"

using namespace mlir;
using namespace mlir::tfc;

static LogicalResult pending(ConfigReader &c, ModelSpec &spec) {
  c.error("model_type", "model_type \"" + spec.modelType +
                            "\" is not implemented yet");
  return failure();
}

LogicalResult mlir::tfc::readGemma(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readGemma2(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readOlmo2(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readStarcoder2(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readDeepSeekV2(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readGPT2(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readGPTNeoX(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readPhi(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readFalcon(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readBloom(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readMPT(ConfigReader &c, ModelSpec &s) { return pending(c, s); }
LogicalResult mlir::tfc::readModelCard(const llvm::json::Object &, ModelSpec &,
                                       ImportDiagnostics &diags) {
  diags.error("tfc model cards are not implemented yet");
  return failure();
}
