//===- Passes.td - tfc conversion passes -------------------*- tablegen -*-===//
#ifndef TFC_CONVERSION_PASSES_TD
#define TFC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // TFC_CONVERSION_PASSES_TD
