//===- Normalizer.cpp - tokenizer.json normalizers -----------------------===//
//
// Sequence, NFC/NFD/NFKC/NFKD (utf8proc), Lowercase, Replace, Prepend and
// Strip, as tokenizers/src/normalizers/ define them. Offsets are not tracked:
// tfc needs ids, not alignments.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <utf8proc.h>

#include <cstdlib>

namespace tfc {
namespace tokenizer {

namespace {

class SequenceNormalizer : public Normalizer {
public:
  std::vector<std::unique_ptr<Normalizer>> steps;
  std::string normalize(const std::string &text) const override {
    std::string out = text;
    for (const auto &step : steps)
      out = step->normalize(out);
    return out;
  }
};

class UnicodeNormalizer : public Normalizer {
public:
  explicit UnicodeNormalizer(int options) : options(options) {}
  std::string normalize(const std::string &text) const override {
    if (text.empty())
      return text;
    utf8proc_uint8_t *result = nullptr;
    utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t *>(text.data()), text.size(),
        &result, static_cast<utf8proc_option_t>(options));
    if (n < 0)
      throw TokenizerError(std::string("unicode normalization failed: ") +
                           utf8proc_errmsg(n));
    std::string out(reinterpret_cast<char *>(result), n);
    std::free(result);
    return out;
  }

private:
  int options;
};

class LowercaseNormalizer : public Normalizer {
public:
  std::string normalize(const std::string &text) const override {
    std::string out;
    for (size_t i = 0; i < text.size();
         i += utf8Length(static_cast<unsigned char>(text[i])))
      appendUTF8(out, utf8proc_tolower(decodeUTF8(text, i)));
    return out;
  }
};

class ReplaceNormalizer : public Normalizer {
public:
  ReplaceNormalizer(const Json &json, const Where &where)
      : pattern(member(json, "pattern", where), where.at("pattern")),
        content(stringMember(json, "content", where)) {}
  std::string normalize(const std::string &text) const override {
    std::string out;
    size_t last = 0;
    for (auto [begin, end] : pattern.findAll(text)) {
      out.append(text, last, begin - last);
      out += content;
      last = end;
    }
    out.append(text, last, std::string::npos);
    return out;
  }

private:
  Pattern pattern;
  std::string content;
};

class PrependNormalizer : public Normalizer {
public:
  explicit PrependNormalizer(std::string prefix) : prefix(std::move(prefix)) {}
  std::string normalize(const std::string &text) const override {
    return text.empty() ? text : prefix + text;
  }

private:
  std::string prefix;
};

class StripNormalizer : public Normalizer {
public:
  StripNormalizer(bool left, bool right) : left(left), right(right) {}
  std::string normalize(const std::string &text) const override {
    size_t begin = 0, end = text.size();
    while (left && begin < end &&
           isUnicodeWhitespace(decodeUTF8(text, begin)))
      begin += utf8Length(static_cast<unsigned char>(text[begin]));
    while (right && end > begin) {
      size_t last = end - 1;
      while (last > begin && (static_cast<unsigned char>(text[last]) & 0xC0) ==
                                 0x80)
        --last;
      if (!isUnicodeWhitespace(decodeUTF8(text, last)))
        break;
      end = last;
    }
    return text.substr(begin, end - begin);
  }

private:
  bool left, right;
};

} // namespace

std::unique_ptr<Normalizer> makeNormalizer(const Json &json,
                                           const Where &where) {
  if (json.is_null())
    return nullptr;
  std::string type = stringMember(json, "type", where);
  if (type == "Sequence") {
    auto sequence = std::make_unique<SequenceNormalizer>();
    const Json &list = member(json, "normalizers", where);
    if (!list.is_array())
      where.at("normalizers").fail("expected an array");
    for (size_t i = 0; i < list.size(); ++i)
      if (auto step = makeNormalizer(list[i], where.at("normalizers").at(i)))
        sequence->steps.push_back(std::move(step));
    return sequence;
  }
  if (type == "NFC")
    return std::make_unique<UnicodeNormalizer>(UTF8PROC_STABLE |
                                               UTF8PROC_COMPOSE);
  if (type == "NFD")
    return std::make_unique<UnicodeNormalizer>(UTF8PROC_STABLE |
                                               UTF8PROC_DECOMPOSE);
  if (type == "NFKC")
    return std::make_unique<UnicodeNormalizer>(
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
  if (type == "NFKD")
    return std::make_unique<UnicodeNormalizer>(
        UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
  if (type == "Lowercase")
    return std::make_unique<LowercaseNormalizer>();
  if (type == "Replace")
    return std::make_unique<ReplaceNormalizer>(json, where);
  if (type == "Prepend")
    return std::make_unique<PrependNormalizer>(
        stringMember(json, "prepend", where));
  if (type == "Strip")
    return std::make_unique<StripNormalizer>(
        optionalBool(json, "strip_left", true, where),
        optionalBool(json, "strip_right", true, where));
  where.at("type").fail("unsupported normalizer type '" + type +
                        "' (supported: Sequence, NFC, NFD, NFKC, NFKD, "
                        "Lowercase, Replace, Prepend, Strip)");
}

} // namespace tokenizer
} // namespace tfc
