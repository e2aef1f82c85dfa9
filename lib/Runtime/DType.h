//===- DType.h - Checkpoint element types and their conversions -*- C++ -*-===//

#ifndef TFC_RUNTIME_DTYPE_H
#define TFC_RUNTIME_DTYPE_H

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tfc::runtime {

/// The safetensors dtypes of whole-byte size. The reader accepts all of them
/// so that a header can be validated in full; only the floating-point F32,
/// F16 and BF16 can be bound (read in place or converted).
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
  /// Not a safetensors dtype: a weight the manifest declares quantized in
  /// GGUF's Q8_0 blocks (TFC_MANIFEST_Q8_0), which the runtime quantizes
  /// from a bindable dtype. Its size is that of the int8 values alone.
  Q8_0,
};

/// Parses a safetensors dtype string ("F32", "BF16", ...).
bool parseDType(std::string_view name, DType &result);
/// The safetensors spelling of `dtype`.
const char *dtypeName(DType dtype);
/// The manifest spelling of F32, BF16 and F16 ("f32", ...).
const char *manifestDTypeName(DType dtype);
/// Bytes per element.
int64_t dtypeSize(DType dtype);
/// Whether convertElements handles `dtype`: F32, F16, BF16.
bool isBindableDType(DType dtype);

/// Elements of a row per Q8_0 block, each block with one f16 scale.
inline constexpr int64_t kQ8_0BlockSize = 32;

/// Bytes of `count` elements of `dtype`: for Q8_0, the int8 values and then
/// one f16 scale per 32 (`count` a multiple of 32).
int64_t dtypeBytes(DType dtype, int64_t count);

/// Converts `count` little-endian elements at `src` (any alignment) from
/// `from` to `to` (both bindable) at `dst` (any alignment). Widening is exact;
/// narrowing rounds to nearest even (NaN stays NaN, overflow gives inf).
/// With `to` Q8_0, each run of 32 elements x (a multiple of 32 in all) is
/// quantized as GGUF's Q8_0 quantizes it: d = max|x| / 127, q = round(x / d)
/// (half away from zero, by the f32 d), the scale stored as f16(d); the
/// values first, then the scales (TFC_MANIFEST_Q8_0's layout).
void convertElements(DType from, const void *src, DType to, void *dst,
                     size_t count);

/// IEEE binary16 bits to f32, exact for every input (subnormals, inf, NaN).
float halfToFloat(uint16_t bits);
/// bfloat16 bits to f32: the upper half of an f32, so exact.
float bfloat16ToFloat(uint16_t bits);
/// f32 to IEEE binary16, round to nearest even; |x| >= 65520 gives inf, NaN
/// a quiet NaN of the same sign, results below 2^-14 are subnormal.
uint16_t floatToHalf(float value);
/// f32 to bfloat16, round to nearest even; NaN gives a quiet NaN with the
/// upper payload bits kept, values above the largest bf16 round to inf.
uint16_t floatToBFloat16(float value);

} // namespace tfc::runtime

#endif // TFC_RUNTIME_DTYPE_H
