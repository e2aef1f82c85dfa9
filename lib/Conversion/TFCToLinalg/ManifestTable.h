//===- ManifestTable.h - The tfc_manifest table as LLVM globals -*- C++ -*-===//
//
// Internal to lib/Conversion/TFCToLinalg: tfc-create-entry-points gathers
// what the runtime needs to know of the model into ManifestContents and
// emits it as the constant `tfc_manifest` of include/tfc/Runtime/
// ManifestABI.h (docs/ABI.md), which the runtime reads without parsing.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_CONVERSION_TFCTOLINALG_MANIFESTTABLE_H
#define TFC_LIB_CONVERSION_TFCTOLINALG_MANIFESTTABLE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include <string>

namespace mlir::tfc {

/// Most dims of a weight the table holds (TFC_MANIFEST_MAX_RANK).
int64_t getManifestMaxRank();

struct ManifestContents {
  struct KVCache {
    int64_t elementsPerToken;
    /// 0: the layer keeps every position.
    int64_t window;
  };
  struct Weight {
    StringRef name;
    /// Static, of rank 1 .. getManifestMaxRank(), element type f32, bf16
    /// or f16; or the i8 values of a q8_0 matrix.
    RankedTensorType type;
  };
  std::string modelType;
  int64_t vocabSize = 0, hiddenSize = 0, numLayers = 0;
  int64_t trainedContext = 0, positionLimit = 0;
  /// "" when the family has none.
  std::string baseModelPrefix;
  /// f32, bf16 or f16.
  Type kvElementType;
  SmallVector<KVCache> kvCaches;
  /// In offsets-table order.
  SmallVector<Weight> weights;
  SmallVector<std::string> optional;
};

/// Appends `tfc_manifest` to `module`: an external constant global of the
/// tfc_manifest_v4 struct, built in its initializer region, with private
/// constant globals for the strings and the record arrays it points to.
void emitManifestTable(ModuleOp module, const ManifestContents &contents);

} // namespace mlir::tfc

#endif // TFC_LIB_CONVERSION_TFCTOLINALG_MANIFESTTABLE_H
