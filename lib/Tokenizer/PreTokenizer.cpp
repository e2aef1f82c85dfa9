//===- PreTokenizer.cpp - tokenizer.json pre-tokenizers ------------------===//
//
// Sequence, Split, ByteLevel, Metaspace, Digits, Whitespace and
// WhitespaceSplit, as tokenizers/src/pre_tokenizers/ define them.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <algorithm>

namespace tfc {
namespace tokenizer {

const std::vector<std::string> &byteToUnicode() {
  // GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest
  // to U+0100 onwards in byte order.
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(256);
    int next = 0;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) ||
                       (b >= 0xAE && b <= 0xFF);
      appendUTF8(t[b], printable ? b : 256 + next++);
    }
    return t;
  }();
  return table;
}

int unicodeToByte(uint32_t codepoint) {
  static const std::vector<int> inverse = [] {
    std::vector<int> inv(512, -1);
    const auto &table = byteToUnicode();
    for (int b = 0; b < 256; ++b)
      inv[decodeUTF8(table[b], 0)] = b;
    return inv;
  }();
  return codepoint < inverse.size() ? inverse[codepoint] : -1;
}

void splitPieces(std::vector<Piece> &pieces, const Pattern &pattern,
                 SplitBehavior behavior, bool invert) {
  std::vector<Piece> result;
  for (const Piece &piece : pieces) {
    const std::string &text = piece.text;
    // (begin, end, is a match), covering the text (Pattern::find_matches).
    struct Span {
      size_t begin, end;
      bool match;
    };
    std::vector<Span> spans;
    size_t last = 0;
    for (auto [begin, end] : pattern.findAll(text)) {
      if (begin > last)
        spans.push_back({last, begin, invert});
      spans.push_back({begin, end, !invert});
      last = end;
    }
    if (last < text.size())
      spans.push_back({last, text.size(), invert});

    std::vector<Span> merged;
    bool previousMatch = false;
    switch (behavior) {
    case SplitBehavior::Removed:
      for (const Span &s : spans)
        if (!s.match)
          merged.push_back(s);
      break;
    case SplitBehavior::Isolated:
      merged = spans;
      break;
    case SplitBehavior::MergedWithPrevious:
      for (const Span &s : spans) {
        if (s.match && !previousMatch && !merged.empty())
          merged.back().end = s.end;
        else
          merged.push_back(s);
        previousMatch = s.match;
      }
      break;
    case SplitBehavior::MergedWithNext:
      for (size_t k = spans.size(); k-- > 0;) {
        const Span &s = spans[k];
        if (s.match && !previousMatch && !merged.empty())
          merged.back().begin = s.begin;
        else
          merged.push_back(s);
        previousMatch = s.match;
      }
      std::reverse(merged.begin(), merged.end());
      break;
    case SplitBehavior::Contiguous:
      for (size_t k = 0; k < spans.size(); ++k) {
        if (k > 0 && spans[k].match == previousMatch)
          merged.back().end = spans[k].end;
        else
          merged.push_back(spans[k]);
        previousMatch = spans[k].match;
      }
      break;
    }
    for (const Span &s : merged)
      if (s.end > s.begin)
        result.push_back({text.substr(s.begin, s.end - s.begin),
                          piece.atStart && s.begin == 0});
  }
  pieces = std::move(result);
}

namespace {

SplitBehavior parseBehavior(const Json &json, const Where &where) {
  std::string name = stringMember(json, "behavior", where);
  if (name == "Removed")
    return SplitBehavior::Removed;
  if (name == "Isolated")
    return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious")
    return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext")
    return SplitBehavior::MergedWithNext;
  if (name == "Contiguous")
    return SplitBehavior::Contiguous;
  where.at("behavior")
      .fail("unknown split behavior '" + name +
            "' (expected Removed, Isolated, MergedWithPrevious, "
            "MergedWithNext or Contiguous)");
}

Json stringPattern(const std::string &s) { return Json{{"String", s}}; }
Json regexPattern(const std::string &s) { return Json{{"Regex", s}}; }

class SequencePreTokenizer : public PreTokenizer {
public:
  std::vector<std::unique_ptr<PreTokenizer>> steps;
  void preTokenize(std::vector<Piece> &pieces) const override {
    for (const auto &step : steps)
      step->preTokenize(pieces);
  }
};

/// tokenizers' Split, and the pre-tokenizers that are a fixed Split (Digits,
/// Punctuation, Whitespace).
class SplitPreTokenizer : public PreTokenizer {
public:
  SplitPreTokenizer(const Json &json, const Where &where)
      : pattern(member(json, "pattern", where), where.at("pattern")),
        behavior(parseBehavior(json, where)),
        invert(optionalBool(json, "invert", false, where)) {}
  SplitPreTokenizer(const std::string &regex, SplitBehavior behavior,
                    bool invert, const Where &where)
      : pattern(regexPattern(regex), where), behavior(behavior),
        invert(invert) {}
  void preTokenize(std::vector<Piece> &pieces) const override {
    splitPieces(pieces, pattern, behavior, invert);
  }

private:
  Pattern pattern;
  SplitBehavior behavior;
  bool invert;
};

// GPT-2's pattern (tokenizers' byte_level.rs).
const char *const kGPT2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPreTokenizer : public PreTokenizer {
public:
  ByteLevelPreTokenizer(const Json &json, const Where &where)
      : addPrefixSpace(optionalBool(json, "add_prefix_space", true, where)),
        useRegex(optionalBool(json, "use_regex", true, where)),
        gpt2(regexPattern(kGPT2Pattern), where) {}
  void preTokenize(std::vector<Piece> &pieces) const override {
    if (addPrefixSpace)
      for (Piece &piece : pieces)
        if (piece.text.empty() || piece.text[0] != ' ')
          piece.text.insert(0, " ");
    if (useRegex)
      splitPieces(pieces, gpt2, SplitBehavior::Isolated, false);
    const auto &table = byteToUnicode();
    for (Piece &piece : pieces) {
      std::string mapped;
      mapped.reserve(piece.text.size() * 2);
      for (unsigned char c : piece.text)
        mapped += table[c];
      piece.text = std::move(mapped);
    }
  }

private:
  bool addPrefixSpace, useRegex;
  Pattern gpt2;
};

enum class PrependScheme { Always, First, Never };

class MetaspacePreTokenizer : public PreTokenizer {
public:
  MetaspacePreTokenizer(const Json &json, const Where &where)
      : replacement(optionalString(json, "replacement", "\xE2\x96\x81", where)),
        split(optionalBool(json, "split", true, where)),
        delimiter(stringPattern(replacement), where) {
    scheme = PrependScheme::Always;
    if (json.contains("prepend_scheme")) {
      std::string s = stringMember(json, "prepend_scheme", where);
      if (s == "always")
        scheme = PrependScheme::Always;
      else if (s == "first")
        scheme = PrependScheme::First;
      else if (s == "never")
        scheme = PrependScheme::Never;
      else
        where.at("prepend_scheme")
            .fail("unknown prepend_scheme '" + s +
                  "' (expected always, first or never)");
    } else if (!optionalBool(json, "add_prefix_space", true, where)) {
      scheme = PrependScheme::Never;
    }
  }
  void preTokenize(std::vector<Piece> &pieces) const override {
    for (Piece &piece : pieces) {
      std::string replaced;
      for (char c : piece.text)
        if (c == ' ')
          replaced += replacement;
        else
          replaced += c;
      bool startsWith = replaced.compare(0, replacement.size(),
                                         replacement) == 0;
      if (!startsWith && (scheme == PrependScheme::Always ||
                          (scheme == PrependScheme::First && piece.atStart)))
        replaced.insert(0, replacement);
      piece.text = std::move(replaced);
    }
    if (split)
      splitPieces(pieces, delimiter, SplitBehavior::MergedWithNext, false);
  }

private:
  std::string replacement;
  bool split;
  PrependScheme scheme;
  Pattern delimiter;
};

} // namespace

std::unique_ptr<PreTokenizer> makePreTokenizer(const Json &json,
                                               const Where &where) {
  if (json.is_null())
    return nullptr;
  std::string type = stringMember(json, "type", where);
  if (type == "Sequence") {
    auto sequence = std::make_unique<SequencePreTokenizer>();
    const Json &list = member(json, "pretokenizers", where);
    if (!list.is_array())
      where.at("pretokenizers").fail("expected an array");
    for (size_t i = 0; i < list.size(); ++i)
      if (auto step =
              makePreTokenizer(list[i], where.at("pretokenizers").at(i)))
        sequence->steps.push_back(std::move(step));
    return sequence;
  }
  if (type == "Split")
    return std::make_unique<SplitPreTokenizer>(json, where);
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelPreTokenizer>(json, where);
  if (type == "Metaspace")
    return std::make_unique<MetaspacePreTokenizer>(json, where);
  if (type == "Digits")
    return std::make_unique<SplitPreTokenizer>(
        optionalBool(json, "individual_digits", false, where) ? R"(\p{N})"
                                                              : R"(\p{N}+)",
        SplitBehavior::Isolated, false, where);
  if (type == "WhitespaceSplit")
    return std::make_unique<SplitPreTokenizer>(
        R"(\s+)", SplitBehavior::Removed, false, where);
  if (type == "Whitespace")
    return std::make_unique<SplitPreTokenizer>(
        R"(\w+|[^\w\s]+)", SplitBehavior::Removed, true, where);
  where.at("type").fail("unsupported pre_tokenizer type '" + type +
                        "' (supported: Sequence, Split, ByteLevel, Metaspace, "
                        "Digits, Whitespace, WhitespaceSplit)");
}

} // namespace tokenizer
} // namespace tfc
