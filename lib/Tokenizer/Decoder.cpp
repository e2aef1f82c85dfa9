//===- Decoder.cpp - tokenizer.json decoders --------------------------------===//
//
// Sequence, ByteLevel, Metaspace, Replace, ByteFallback, Fuse and Strip, as
// tokenizers/src/decoders/ define decode_chain. Tokens are bytes here: a
// ByteLevel or ByteFallback token may hold part of a character, and the
// caller turns the joined result into text (lossy or streamed). The one
// difference from the crate: an invalid byte-fallback run becomes one U+FFFD
// per maximal invalid subpart, where the crate writes one per byte.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

namespace tfc {
namespace tokenizer {

namespace {

class SequenceDecoder : public Decoder {
public:
  std::vector<std::unique_ptr<Decoder>> steps;
  void decodeChain(std::vector<std::string> &tokens) const override {
    for (const auto &step : steps)
      step->decodeChain(tokens);
  }
};

class ByteLevelDecoder : public Decoder {
public:
  void decodeChain(std::vector<std::string> &tokens) const override {
    std::string bytes;
    for (const std::string &token : tokens) {
      // A token with a character outside the byte table (an added token
      // written as plain text) is kept as it is.
      std::string mapped;
      bool ok = true;
      for (size_t i = 0; i < token.size() && ok;
           i += utf8Length(static_cast<unsigned char>(token[i]))) {
        int b = unicodeToByte(decodeUTF8(token, i));
        ok = b >= 0;
        mapped += static_cast<char>(b);
      }
      bytes += ok ? mapped : token;
    }
    tokens.assign(1, bytes);
  }
};

class MetaspaceDecoder : public Decoder {
public:
  MetaspaceDecoder(std::string replacement, bool prepend)
      : replacement(std::move(replacement)), prepend(prepend) {}
  void decodeChain(std::vector<std::string> &tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const std::string &t = tokens[i];
      for (size_t at = 0; at < t.size();) {
        if (t.compare(at, replacement.size(), replacement) == 0) {
          // As the crate's decode_chain: every replacement of the first
          // token is dropped (not only the prepended one).
          if (!(i == 0 && prepend))
            out += ' ';
          at += replacement.size();
        } else {
          out += t[at++];
        }
      }
      tokens[i] = std::move(out);
    }
  }

private:
  std::string replacement;
  bool prepend;
};

class ReplaceDecoder : public Decoder {
public:
  ReplaceDecoder(const Json &json, const Where &where)
      : pattern(member(json, "pattern", where), where.at("pattern")),
        content(stringMember(json, "content", where)) {}
  void decodeChain(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens) {
      std::string out;
      size_t last = 0;
      for (auto [begin, end] : pattern.findAll(token)) {
        out.append(token, last, begin - last);
        out += content;
        last = end;
      }
      out.append(token, last, std::string::npos);
      token = std::move(out);
    }
  }

private:
  Pattern pattern;
  std::string content;
};

int hexDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

class ByteFallbackDecoder : public Decoder {
public:
  void decodeChain(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens) {
      if (token.size() == 6 && token.compare(0, 3, "<0x") == 0 &&
          token[5] == '>' && hexDigit(token[3]) >= 0 &&
          hexDigit(token[4]) >= 0)
        token = std::string(
            1, static_cast<char>(hexDigit(token[3]) * 16 + hexDigit(token[4])));
    }
  }
};

class FuseDecoder : public Decoder {
public:
  void decodeChain(std::vector<std::string> &tokens) const override {
    std::string all;
    for (const std::string &token : tokens)
      all += token;
    tokens.assign(1, all);
  }
};

class StripDecoder : public Decoder {
public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content(std::move(content)), start(start), stop(stop) {}
  void decodeChain(std::vector<std::string> &tokens) const override {
    for (std::string &token : tokens) {
      size_t begin = 0, end = token.size();
      for (size_t k = 0; k < start && begin < end &&
                         token.compare(begin, content.size(), content) == 0;
           ++k)
        begin += content.size();
      for (size_t k = 0;
           k < stop && end >= begin + content.size() &&
           token.compare(end - content.size(), content.size(), content) == 0;
           ++k)
        end -= content.size();
      token = token.substr(begin, end - begin);
    }
  }

private:
  std::string content;
  size_t start, stop;
};

size_t countMember(const Json &json, const char *key, const Where &where) {
  const Json &value = member(json, key, where);
  if (!value.is_number_unsigned())
    where.at(key).fail("expected an integer >= 0");
  return value.get<size_t>();
}

} // namespace

std::unique_ptr<Decoder> makeDecoder(const Json &json, const Where &where) {
  if (json.is_null())
    return nullptr;
  std::string type = stringMember(json, "type", where);
  if (type == "Sequence") {
    auto sequence = std::make_unique<SequenceDecoder>();
    const Json &list = member(json, "decoders", where);
    if (!list.is_array())
      where.at("decoders").fail("expected an array");
    for (size_t i = 0; i < list.size(); ++i)
      if (auto step = makeDecoder(list[i], where.at("decoders").at(i)))
        sequence->steps.push_back(std::move(step));
    return sequence;
  }
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelDecoder>();
  if (type == "Metaspace") {
    bool prepend = optionalBool(json, "add_prefix_space", true, where);
    if (json.contains("prepend_scheme"))
      prepend = stringMember(json, "prepend_scheme", where) != "never";
    return std::make_unique<MetaspaceDecoder>(
        optionalString(json, "replacement", "\xE2\x96\x81", where), prepend);
  }
  if (type == "Replace")
    return std::make_unique<ReplaceDecoder>(json, where);
  if (type == "ByteFallback")
    return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse")
    return std::make_unique<FuseDecoder>();
  if (type == "Strip")
    return std::make_unique<StripDecoder>(stringMember(json, "content", where),
                                          countMember(json, "start", where),
                                          countMember(json, "stop", where));
  where.at("type").fail("unsupported decoder type '" + type +
                        "' (supported: Sequence, ByteLevel, Metaspace, "
                        "Replace, ByteFallback, Fuse, Strip)");
}

} // namespace tokenizer
} // namespace tfc
