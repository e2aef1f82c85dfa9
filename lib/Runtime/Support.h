//===- Support.h - Small helpers shared by the runtime's pieces -*- C++ -*-===//

#ifndef TFC_RUNTIME_SUPPORT_H
#define TFC_RUNTIME_SUPPORT_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace tfc::runtime {

/// "8x4" for {8, 4}; "scalar" for {} (safetensors allows rank 0).
inline std::string formatShape(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      out += 'x';
    out += std::to_string(shape[i]);
  }
  return out;
}

/// Product of `shape` times `scale`; false on overflow of int64_t. Checkpoint
/// headers and manifests are untrusted input, so sizes are computed checked.
inline bool checkedVolume(const std::vector<int64_t> &shape, int64_t scale,
                          int64_t &result) {
  int64_t product = scale;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(product, dim, &product))
      return false;
  result = product;
  return true;
}

/// Parses a whole string of decimal digits (with an optional '-') as int64_t;
/// false on anything else, including overflow.
inline bool parseInt64(std::string_view text, int64_t &result) {
  size_t i = 0;
  bool negative = !text.empty() && text[0] == '-';
  if (negative)
    i = 1;
  if (i == text.size())
    return false;
  int64_t value = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9')
      return false;
    int digit = c - '0';
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, negative ? -digit : digit, &value))
      return false;
  }
  result = value;
  return true;
}

/// "512 B", "1.5 KiB", "15.0 GiB": for messages.
inline std::string formatBytes(int64_t bytes) {
  if (bytes < 1024)
    return std::to_string(bytes) + " B";
  const char *units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  int unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, units[unit]);
  return text;
}

/// `value` rounded up to a multiple of the power of two `alignment`; false on
/// overflow.
inline bool alignUp(int64_t value, int64_t alignment, int64_t &result) {
  if (__builtin_add_overflow(value, alignment - 1, &result))
    return false;
  result &= ~(alignment - 1);
  return true;
}

} // namespace tfc::runtime

#endif // TFC_RUNTIME_SUPPORT_H
