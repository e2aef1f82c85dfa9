//===- RopeParameters.h - HF RoPE settings in either form -------*- C++ -*-===//
//
// Hugging Face writes RoPE settings two ways: 4.x configs carry `rope_theta`
// and `rope_scaling` at top level; configs saved by v5 fold both into one
// `rope_parameters` dict (docs/families.md, section 0.1). Both mean the same.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_IMPORTER_ROPEPARAMETERS_H
#define TFC_LIB_IMPORTER_ROPEPARAMETERS_H

#include "Families.h"

namespace mlir::tfc {

/// Fills `rope.theta` and `rope.scaling` from `rope_parameters` when present,
/// else from `rope_theta` (default `defaultTheta`) and `rope_scaling`. A
/// scaling type tfc cannot express is an error naming the field; `note` is
/// appended to that error (why the family needs it, what it would take).
void readHFRope(ConfigReader &config, RopeSpec &rope, double defaultTheta,
                llvm::StringRef note = "");

} // namespace mlir::tfc

#endif // TFC_LIB_IMPORTER_ROPEPARAMETERS_H
