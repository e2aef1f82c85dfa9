//===- DType.cpp - Checkpoint element types and their f32 widening --------===//

#include "DType.h"

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
    {DType::F8E5M2, "F8_E5M2", 1},
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
} // namespace

bool tfc::runtime::parseDType(std::string_view name, DType &result) {
  for (const DTypeInfo &i : kDTypes)
    if (name == i.name) {
      result = i.dtype;
      return true;
    }
  return false;
}

const char *tfc::runtime::dtypeName(DType dtype) { return info(dtype).name; }

int64_t tfc::runtime::dtypeSize(DType dtype) { return info(dtype).size; }

bool tfc::runtime::isConvertibleToF32(DType dtype) {
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

void tfc::runtime::convertToF32(DType dtype, const void *src, float *dst,
                                size_t count) {
  const auto *bytes = static_cast<const unsigned char *>(src);
  switch (dtype) {
  case DType::F32:
    std::memcpy(dst, src, count * sizeof(float));
    return;
  case DType::F16:
    for (size_t i = 0; i < count; ++i) {
      uint16_t bits;
      std::memcpy(&bits, bytes + 2 * i, sizeof(bits));
      dst[i] = halfToFloat(bits);
    }
    return;
  case DType::BF16:
    for (size_t i = 0; i < count; ++i) {
      uint16_t bits;
      std::memcpy(&bits, bytes + 2 * i, sizeof(bits));
      dst[i] = bfloat16ToFloat(bits);
    }
    return;
  default:
    // Callers check isConvertibleToF32 first.
    return;
  }
}
