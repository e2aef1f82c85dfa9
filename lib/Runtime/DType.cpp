//===- DType.cpp - Checkpoint element types and their conversions ---------===//

#include "DType.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace tfc::runtime;

// safetensors stores little-endian data; the conversions below read it in
// host order.
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the tfc runtime assumes a little-endian host"
#endif

namespace {
struct DTypeInfo {
  DType dtype;
  const char *name;
  int64_t size;
};

// Names and sizes from the safetensors format description.
constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "F32", 4},        {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},      {DType::F64, "F64", 8},
    {DType::I64, "I64", 8},        {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},        {DType::I8, "I8", 1},
    {DType::U64, "U64", 8},        {DType::U32, "U32", 4},
    {DType::U16, "U16", 2},        {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1},      {DType::F8E4M3, "F8_E4M3", 1},
    {DType::F8E5M2, "F8_E5M2", 1}, {DType::Q8_0, "Q8_0", 1},
};

const DTypeInfo &info(DType dtype) {
  for (const DTypeInfo &i : kDTypes)
    if (i.dtype == dtype)
      return i;
  return kDTypes[0];
}

float bitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

uint32_t floatToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

uint16_t load16(const unsigned char *p) {
  uint16_t bits;
  std::memcpy(&bits, p, sizeof(bits));
  return bits;
}

float loadAsFloat(DType dtype, const unsigned char *p) {
  switch (dtype) {
  case DType::F16:
    return halfToFloat(load16(p));
  case DType::BF16:
    return bfloat16ToFloat(load16(p));
  default: {
    float f;
    std::memcpy(&f, p, sizeof(f));
    return f;
  }
  }
}

void storeFloat(DType dtype, float value, unsigned char *p) {
  uint16_t bits;
  switch (dtype) {
  case DType::F16:
    bits = floatToHalf(value);
    break;
  case DType::BF16:
    bits = floatToBFloat16(value);
    break;
  default:
    std::memcpy(p, &value, sizeof(value));
    return;
  }
  std::memcpy(p, &bits, sizeof(bits));
}
} // namespace

bool tfc::runtime::parseDType(std::string_view name, DType &result) {
  for (const DTypeInfo &i : kDTypes)
    if (name == i.name && i.dtype != DType::Q8_0) {
      result = i.dtype;
      return true;
    }
  return false;
}

const char *tfc::runtime::dtypeName(DType dtype) { return info(dtype).name; }

int64_t tfc::runtime::dtypeSize(DType dtype) { return info(dtype).size; }

const char *tfc::runtime::manifestDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::BF16:
    return "bf16";
  case DType::F16:
    return "f16";
  case DType::Q8_0:
    return "q8_0";
  default:
    return dtypeName(dtype);
  }
}

bool tfc::runtime::isBindableDType(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16;
}

// Rebias the exponent by (127 - 15); inf/NaN get a second rebias to the f32
// all-ones exponent, zero/subnormals are renormalised by one float
// subtraction (F. Giesen, "half_to_float", public domain).
float tfc::runtime::halfToFloat(uint16_t bits) {
  constexpr uint32_t kShiftedExp = 0x7c00u << 13;
  uint32_t out = (bits & 0x7fffu) << 13;
  uint32_t exp = out & kShiftedExp;
  out += (127u - 15u) << 23;
  if (exp == kShiftedExp) {
    out += (128u - 16u) << 23;
  } else if (exp == 0) {
    out += 1u << 23;
    float f = bitsToFloat(out) - bitsToFloat(113u << 23);
    std::memcpy(&out, &f, sizeof(out));
  }
  return bitsToFloat(out | (uint32_t(bits & 0x8000u) << 16));
}

float tfc::runtime::bfloat16ToFloat(uint16_t bits) {
  return bitsToFloat(uint32_t(bits) << 16);
}

// Round to nearest even by adding 0x7fff plus the lowest kept bit: a carry
// out of the mantissa moves to the exponent, so the largest finite values
// round up to inf as IEEE requires. NaN is made quiet so that the dropped
// payload bits cannot turn it into inf.
uint16_t tfc::runtime::floatToBFloat16(float value) {
  uint32_t bits = floatToBits(value);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((bits >> 16) | 0x0040u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

// F. Giesen, "float_to_half_fast3_rtne" (public domain): normal results
// rebias the exponent and round with the same add-and-carry trick as
// bfloat16; subnormal results are rounded by the FPU, by adding a magic
// number whose exponent puts the half's last mantissa bit at the f32's.
uint16_t tfc::runtime::floatToHalf(float value) {
  constexpr uint32_t kF32Inf = 255u << 23;
  constexpr uint32_t kF16Overflow = (127u + 16u) << 23; // 2^16
  constexpr uint32_t kDenormMagic = ((127u - 15u) + (23u - 10u) + 1u) << 23;
  uint32_t bits = floatToBits(value);
  uint32_t sign = bits & 0x80000000u;
  bits ^= sign;
  uint32_t out;
  if (bits >= kF16Overflow) {
    out = bits > kF32Inf ? 0x7e00u : 0x7c00u;
  } else if (bits < (113u << 23)) { // below 2^-14: subnormal or zero
    float f = bitsToFloat(bits) + bitsToFloat(kDenormMagic);
    out = floatToBits(f) - kDenormMagic;
  } else {
    uint32_t mantissaOdd = (bits >> 13) & 1u;
    bits += ((15u - 127u) << 23) + 0xfffu;
    bits += mantissaOdd;
    out = bits >> 13;
  }
  return static_cast<uint16_t>(out | (sign >> 16));
}

int64_t tfc::runtime::dtypeBytes(DType dtype, int64_t count) {
  if (dtype == DType::Q8_0)
    return count + count / kQ8_0BlockSize * 2;
  return count * dtypeSize(dtype);
}

/// roundf (half away from zero) of |y| <= 127.5, without libm; NaN (from
/// an inf or NaN in the block) gives 0.
static int8_t roundToInt8(float y) {
  if (!(std::fabs(y) <= 127.5f))
    return 0;
  int i = static_cast<int>(y);                // toward zero
  float fraction = y - static_cast<float>(i); // exact: |y| < 2^23
  if (fraction >= 0.5f)
    ++i;
  else if (fraction <= -0.5f)
    --i;
  return static_cast<int8_t>(std::clamp(i, -127, 127));
}

/// ggml's quantize_row_q8_0_ref, with the scales in a plane of their own.
static void quantizeQ8_0(DType from, const unsigned char *in, void *dst,
                         size_t count) {
  size_t inSize = static_cast<size_t>(dtypeSize(from));
  auto *values = static_cast<int8_t *>(dst);
  unsigned char *scales = static_cast<unsigned char *>(dst) + count;
  float x[kQ8_0BlockSize];
  for (size_t block = 0; block < count / kQ8_0BlockSize; ++block) {
    float amax = 0.0f;
    for (int64_t j = 0; j < kQ8_0BlockSize; ++j) {
      x[j] = loadAsFloat(from, in + (block * kQ8_0BlockSize + j) * inSize);
      amax = std::max(amax, std::fabs(x[j]));
    }
    float d = amax / 127.0f;
    float id = d != 0.0f ? 1.0f / d : 0.0f;
    uint16_t half = floatToHalf(d);
    std::memcpy(scales + 2 * block, &half, sizeof(half));
    for (int64_t j = 0; j < kQ8_0BlockSize; ++j)
      values[block * kQ8_0BlockSize + j] = roundToInt8(x[j] * id);
  }
}

void tfc::runtime::convertElements(DType from, const void *src, DType to,
                                   void *dst, size_t count) {
  const auto *in = static_cast<const unsigned char *>(src);
  auto *out = static_cast<unsigned char *>(dst);
  if (to == DType::Q8_0) {
    quantizeQ8_0(from, in, dst, count);
    return;
  }
  if (from == to) {
    std::memcpy(dst, src, count * static_cast<size_t>(dtypeSize(from)));
    return;
  }
  // Every bindable type widens exactly to f32, so going through f32 rounds
  // once.
  size_t inSize = static_cast<size_t>(dtypeSize(from));
  size_t outSize = static_cast<size_t>(dtypeSize(to));
  for (size_t i = 0; i < count; ++i)
    storeFloat(to, loadAsFloat(from, in + i * inSize), out + i * outSize);
}
