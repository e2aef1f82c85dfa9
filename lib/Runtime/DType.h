//===- DType.h - Checkpoint element types and their f32 widening -*- C++ -*-=//

#ifndef TFC_RUNTIME_DTYPE_H
#define TFC_RUNTIME_DTYPE_H

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tfc::runtime {

/// The safetensors dtypes of whole-byte size. The reader accepts all of them
/// so that a header can be validated in full; only F32, F16 and BF16 can be
/// bound into the f32 arena.
enum class DType {
  F32,
  F16,
  BF16,
  F64,
  I64,
  I32,
  I16,
  I8,
  U64,
  U32,
  U16,
  U8,
  Bool,
  F8E4M3,
  F8E5M2,
};

/// Parses a safetensors dtype string ("F32", "BF16", ...).
bool parseDType(std::string_view name, DType &result);
/// The safetensors spelling of `dtype`.
const char *dtypeName(DType dtype);
/// Bytes per element.
int64_t dtypeSize(DType dtype);
/// Whether convertToF32 handles `dtype`: F32, F16, BF16.
bool isConvertibleToF32(DType dtype);
/// Widens `count` little-endian elements at `src` (any alignment) to f32.
void convertToF32(DType dtype, const void *src, float *dst, size_t count);

/// IEEE binary16 bits to f32, exact for every input (subnormals, inf, NaN).
float halfToFloat(uint16_t bits);
/// bfloat16 bits to f32: the upper half of an f32, so exact.
float bfloat16ToFloat(uint16_t bits);

} // namespace tfc::runtime

#endif // TFC_RUNTIME_DTYPE_H
