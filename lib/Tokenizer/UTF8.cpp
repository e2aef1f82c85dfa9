//===- UTF8.cpp - UTF-8 validation, decoding and repair ------------------===//

#include "Internal.h"

namespace tfc {
namespace tokenizer {

size_t utf8Length(unsigned char c) {
  if (c < 0x80)
    return 1;
  if ((c & 0xE0) == 0xC0)
    return 2;
  if ((c & 0xF0) == 0xE0)
    return 3;
  if ((c & 0xF8) == 0xF0)
    return 4;
  return 1;
}

namespace {
// Length of the valid sequence at text[i], 0 if invalid, or -(bytes seen)
// when the text ends inside an otherwise valid sequence.
long sequenceAt(const std::string &text, size_t i) {
  unsigned char c = text[i];
  if (c < 0x80)
    return 1;
  size_t n;
  uint32_t cp, min;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2, cp = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0)
    n = 3, cp = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, cp = c & 0x07, min = 0x10000;
  else
    return 0;
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= text.size())
      return -static_cast<long>(k);
    unsigned char d = text[i + k];
    if ((d & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (d & 0x3F);
    // Reject overlong forms, surrogates and > U+10FFFF as soon as the
    // second byte shows them, so a cut-short prefix is never one of them.
    if (k == 1) {
      if (n == 3 && ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F)))
        return 0;
      if (n == 4 && ((c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F)))
        return 0;
    }
  }
  if (cp < min || cp > 0x10FFFF)
    return 0;
  return static_cast<long>(n);
}
} // namespace

size_t findInvalidUTF8(const std::string &text) {
  for (size_t i = 0; i < text.size();) {
    long n = sequenceAt(text, i);
    if (n <= 0)
      return i;
    i += n;
  }
  return std::string::npos;
}

size_t completeUTF8Prefix(const std::string &text) {
  // Only the last 3 bytes can start a sequence that is still incomplete.
  size_t from = text.size() > 3 ? text.size() - 3 : 0;
  for (size_t i = from; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 &&
        sequenceAt(text, i) < 0)
      return i;
  return text.size();
}

std::string lossyUTF8(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    long n = sequenceAt(text, i);
    if (n > 0) {
      out.append(text, i, n);
      i += n;
      continue;
    }
    out += "\xEF\xBF\xBD"; // U+FFFD for the maximal invalid subpart
    i += n < 0 ? -n : 1;
  }
  return out;
}

uint32_t decodeUTF8(const std::string &text, size_t i) {
  unsigned char c = text[i];
  size_t n = utf8Length(c);
  uint32_t cp = n == 1 ? c : c & (0x7F >> n);
  for (size_t k = 1; k < n && i + k < text.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return cp;
}

void appendUTF8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isUnicodeWhitespace(uint32_t c) {
  // Unicode White_Space, what Rust's char::is_whitespace tests.
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

} // namespace tokenizer
} // namespace tfc
