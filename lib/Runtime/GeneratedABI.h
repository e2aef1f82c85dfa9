//===- GeneratedABI.h - Symbols of the generated model code -----*- C++ -*-===//
//
// What tfc-compile puts into the model object (docs/ABI.md). These symbols are
// undefined in libTFCRuntime.a and resolved when the model .so is linked.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_GENERATEDABI_H
#define TFC_RUNTIME_GENERATEDABI_H

#include "tfc/Runtime/ManifestABI.h"

#include <cstdint>

namespace tfc::runtime {

/// MLIR's strided memref descriptor, as `llvm.emit_c_interface` passes it.
template <typename T, int Rank> struct MemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};

using MemRef1DI8 = MemRef<int8_t, 1>;
using MemRef1DI64 = MemRef<int64_t, 1>;
using MemRef2DF32 = MemRef<float, 2>;

/// A contiguous 1-D descriptor over `size` elements at `data`.
template <typename T> MemRef<T, 1> makeMemRef1D(T *data, int64_t size) {
  return {data, data, 0, {size}, {1}};
}

} // namespace tfc::runtime

extern "C" {
// Declared as a table, though the symbol of an old or foreign library may be
// something else (text, or shorter): Manifest.cpp checks the magic first.
extern const tfc_manifest_v4 tfc_manifest;

// The three entry points share one signature (ABI.md): the weight region,
// the weight offsets table, the KV cache bytes, the tokens, pos,
// max_context and the logits.
#define TFC_ENTRY_POINT(name)                                                  \
  void name(tfc::runtime::MemRef1DI8 *weights,                                 \
            tfc::runtime::MemRef1DI64 *weightOffsets,                          \
            tfc::runtime::MemRef1DI8 *kvCache,                                 \
            tfc::runtime::MemRef1DI64 *tokens, int64_t pos,                    \
            int64_t maxContext, tfc::runtime::MemRef2DF32 *logits)
TFC_ENTRY_POINT(_mlir_ciface_tfc_prefill);
TFC_ENTRY_POINT(_mlir_ciface_tfc_prefill_last);
TFC_ENTRY_POINT(_mlir_ciface_tfc_decode);
#undef TFC_ENTRY_POINT
// One decode step of n sequences (ABI.md): token i at positions[i], with its
// caches at byte kvOffsets[i] of kvPool; logits [n, vocab].
void _mlir_ciface_tfc_decode_batch(tfc::runtime::MemRef1DI8 *weights,
                                   tfc::runtime::MemRef1DI64 *weightOffsets,
                                   tfc::runtime::MemRef1DI8 *kvPool,
                                   tfc::runtime::MemRef1DI64 *tokens,
                                   tfc::runtime::MemRef1DI64 *positions,
                                   tfc::runtime::MemRef1DI64 *kvOffsets,
                                   int64_t maxContext,
                                   tfc::runtime::MemRef2DF32 *logits);
}

#endif // TFC_RUNTIME_GENERATEDABI_H
