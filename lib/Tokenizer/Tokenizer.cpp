//===- Tokenizer.cpp - Loading tokenizer.json; encode and decode ----------===//
//
// The pipeline of tokenizers' TokenizerImpl::encode_single_sequence:
// added tokens that are not `normalized` are cut out of the raw text first,
// each remaining piece is normalized, tokens that are `normalized` are cut
// out of the normalized pieces, and what is left is pre-tokenized and given
// to the model. Added tokens match leftmost-longest (the crate's
// aho-corasick MatchKind::LeftmostLongest), with lstrip/rstrip/single_word.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

namespace tfc {
namespace tokenizer {

void Where::fail(const std::string &what) const {
  throw TokenizerError(file + ": " + (field.empty() ? "" : field + ": ") +
                       what);
}

const Json &member(const Json &object, const char *key, const Where &where) {
  if (!object.is_object())
    where.fail("expected an object");
  auto it = object.find(key);
  if (it == object.end())
    where.fail(std::string("missing field '") + key + "'");
  return *it;
}

std::string stringMember(const Json &object, const char *key,
                         const Where &where) {
  const Json &value = member(object, key, where);
  if (!value.is_string())
    where.at(key).fail("expected a string, got " + value.dump());
  return value.get<std::string>();
}

std::string optionalString(const Json &object, const char *key,
                           const std::string &fallback, const Where &where) {
  if (!object.is_object() || !object.contains(key) || object[key].is_null())
    return fallback;
  return stringMember(object, key, where);
}

bool optionalBool(const Json &object, const char *key, bool fallback,
                  const Where &where) {
  if (!object.is_object() || !object.contains(key) || object[key].is_null())
    return fallback;
  if (!object[key].is_boolean())
    where.at(key).fail("expected true or false, got " + object[key].dump());
  return object[key].get<bool>();
}

namespace {

struct AddedToken {
  int64_t id;
  std::string content;
  bool singleWord, lstrip, rstrip, normalized, special;
};

// A byte trie over the contents of added tokens: the longest token starting
// at a position in time proportional to its length.
class Trie {
public:
  void insert(const std::string &key, size_t value) {
    size_t node = 0;
    for (unsigned char c : key) {
      auto it = nodes[node].children.find(c);
      if (it == nodes[node].children.end()) {
        nodes[node].children.emplace(c, nodes.size());
        node = nodes.size();
        nodes.emplace_back();
      } else {
        node = it->second;
      }
    }
    nodes[node].value = static_cast<long>(value);
  }
  /// (value, length) of the longest key at text[at], or value -1.
  std::pair<long, size_t> longest(const std::string &text, size_t at) const {
    std::pair<long, size_t> best{-1, 0};
    size_t node = 0;
    for (size_t i = at; i < text.size(); ++i) {
      auto it = nodes[node].children.find(static_cast<unsigned char>(text[i]));
      if (it == nodes[node].children.end())
        break;
      node = it->second;
      if (nodes[node].value >= 0)
        best = {nodes[node].value, i + 1 - at};
    }
    return best;
  }
  bool empty() const { return nodes.size() == 1; }

private:
  struct Node {
    std::map<unsigned char, size_t> children;
    long value = -1;
  };
  std::vector<Node> nodes{Node()};
};

bool isWordChar(uint32_t c) {
  // Rust's char::is_alphanumeric or '_', approximated for ASCII and letters
  // beyond it (single_word is rare: no tested tokenizer sets it).
  return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || (c >= 0x80 && !isUnicodeWhitespace(c));
}

} // namespace

struct TokenizerImpl {
  std::string path;
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> preTokenizer;
  std::unique_ptr<BPE> model;
  std::unique_ptr<PostProcessor> postProcessor;
  std::unique_ptr<Decoder> decoder;
  std::vector<AddedToken> added;
  std::unordered_map<int64_t, size_t> addedById;
  std::unordered_map<std::string, int64_t> addedByContent;
  Trie rawTrie, normalizedTrie;
  std::vector<std::string> idToToken;
  int64_t vocabSize = 0;

  // A piece of text and the added token it is (-1: plain text).
  struct Segment {
    std::string text;
    long token;
    bool atStart;
  };
  void splitOnAdded(std::vector<Segment> &segments, const Trie &trie) const;
  std::vector<int64_t> encode(const std::string &text) const;
};

void TokenizerImpl::splitOnAdded(std::vector<Segment> &segments,
                                 const Trie &trie) const {
  if (trie.empty())
    return;
  std::vector<Segment> out;
  for (Segment &segment : segments) {
    if (segment.token >= 0) {
      out.push_back(std::move(segment));
      continue;
    }
    const std::string &s = segment.text;
    size_t start = 0; // start of the text not yet emitted
    for (size_t at = 0; at < s.size();) {
      auto [index, length] = trie.longest(s, at);
      if (index < 0) {
        at += utf8Length(static_cast<unsigned char>(s[at]));
        continue;
      }
      const AddedToken &token = added[index];
      size_t begin = at, end = at + length;
      if (token.singleWord) {
        bool before = begin == 0;
        if (!before) {
          size_t prev = begin - 1;
          while (prev > 0 &&
                 (static_cast<unsigned char>(s[prev]) & 0xC0) == 0x80)
            --prev;
          before = !isWordChar(decodeUTF8(s, prev));
        }
        bool after = end == s.size() || !isWordChar(decodeUTF8(s, end));
        if (!before || !after) {
          at += utf8Length(static_cast<unsigned char>(s[at]));
          continue;
        }
      }
      if (token.lstrip) {
        while (begin > start) {
          size_t prev = begin - 1;
          while (prev > start &&
                 (static_cast<unsigned char>(s[prev]) & 0xC0) == 0x80)
            --prev;
          if (!isUnicodeWhitespace(decodeUTF8(s, prev)))
            break;
          begin = prev;
        }
      }
      if (token.rstrip)
        while (end < s.size() && isUnicodeWhitespace(decodeUTF8(s, end)))
          end += utf8Length(static_cast<unsigned char>(s[end]));
      if (begin > start)
        out.push_back({s.substr(start, begin - start), -1,
                       segment.atStart && start == 0});
      out.push_back({s.substr(begin, end - begin), index, false});
      start = at = end;
    }
    if (start < s.size())
      out.push_back({s.substr(start), -1, segment.atStart && start == 0});
  }
  segments = std::move(out);
}

std::vector<int64_t> TokenizerImpl::encode(const std::string &text) const {
  std::vector<Segment> segments{{text, -1, true}};
  splitOnAdded(segments, rawTrie);
  if (normalizer)
    for (Segment &segment : segments)
      if (segment.token < 0)
        segment.text = normalizer->normalize(segment.text);
  splitOnAdded(segments, normalizedTrie);
  std::vector<int64_t> ids;
  for (const Segment &segment : segments) {
    if (segment.token >= 0) {
      ids.push_back(added[segment.token].id);
      continue;
    }
    std::vector<Piece> pieces{{segment.text, segment.atStart}};
    if (preTokenizer)
      preTokenizer->preTokenize(pieces);
    for (const Piece &piece : pieces)
      model->tokenize(piece.text, ids);
  }
  return ids;
}

namespace {
std::string resolvePath(const std::string &path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    throw TokenizerError(path + ": no such file or directory");
  if (S_ISDIR(st.st_mode)) {
    std::string file = path + (path.back() == '/' ? "" : "/") + "tokenizer.json";
    if (stat(file.c_str(), &st) != 0)
      throw TokenizerError(path + ": directory holds no tokenizer.json");
    return file;
  }
  return path;
}
} // namespace

Tokenizer::Tokenizer() : impl(std::make_unique<TokenizerImpl>()) {}
Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::fromFile(const std::string &pathArg) {
  std::string path = resolvePath(pathArg);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw TokenizerError(path + ": cannot open");
  Json json;
  try {
    json = Json::parse(in);
  } catch (const Json::parse_error &e) {
    throw TokenizerError(path + ": malformed JSON: " + e.what());
  }
  std::unique_ptr<Tokenizer> result(new Tokenizer());
  TokenizerImpl &t = *result->impl;
  t.path = path;
  Where root{t.path, ""};
  if (!json.is_object())
    root.fail("expected a JSON object (a Hugging Face tokenizer.json)");
  try {
    const Json &model = member(json, "model", root);
    std::string type = optionalString(model, "type", "BPE", root.at("model"));
    if (type != "BPE")
      root.at("model.type")
          .fail("unknown tokenizer model type '" + type +
                "' (supported: BPE, as gpt2, llama-2/3, qwen2/3, mistral and "
                "gemma use it)");
    t.model = std::make_unique<BPE>(model, root.at("model"));
    auto get = [&](const char *key) -> const Json & {
      static const Json null;
      auto it = json.find(key);
      return it == json.end() ? null : *it;
    };
    t.normalizer = makeNormalizer(get("normalizer"), root.at("normalizer"));
    t.preTokenizer =
        makePreTokenizer(get("pre_tokenizer"), root.at("pre_tokenizer"));
    t.decoder = makeDecoder(get("decoder"), root.at("decoder"));

    int64_t maxId = t.model->maxId();
    const Json &addedList = get("added_tokens");
    if (!addedList.is_null() && !addedList.is_array())
      root.at("added_tokens").fail("expected an array");
    for (size_t i = 0; i < addedList.size(); ++i) {
      Where at = root.at("added_tokens").at(i);
      const Json &a = addedList[i];
      const Json &id = member(a, "id", at);
      if (!id.is_number_integer() || id.get<int64_t>() < 0)
        at.at("id").fail("expected an integer >= 0");
      AddedToken token{id.get<int64_t>(),
                       stringMember(a, "content", at),
                       optionalBool(a, "single_word", false, at),
                       optionalBool(a, "lstrip", false, at),
                       optionalBool(a, "rstrip", false, at),
                       optionalBool(a, "normalized", true, at),
                       optionalBool(a, "special", false, at)};
      if (token.content.empty())
        at.at("content").fail("an added token cannot be empty");
      // Special tokens are never normalized (AddedVocabulary::add_tokens).
      if (token.special)
        token.normalized = false;
      size_t index = t.added.size();
      if (token.normalized && t.normalizer)
        t.normalizedTrie.insert(t.normalizer->normalize(token.content), index);
      else if (token.normalized)
        t.normalizedTrie.insert(token.content, index);
      else
        t.rawTrie.insert(token.content, index);
      t.addedById[token.id] = index;
      t.addedByContent[token.content] = token.id;
      maxId = std::max(maxId, token.id);
      t.added.push_back(std::move(token));
    }
    t.vocabSize = maxId + 1;
    t.idToToken.assign(t.vocabSize, std::string());
    for (const auto &[token, id] : t.model->vocab())
      t.idToToken[id] = token;
    for (const AddedToken &token : t.added)
      t.idToToken[token.id] = token.content;

    std::unordered_map<std::string, int64_t> ids;
    t.postProcessor = makePostProcessor(get("post_processor"),
                                        root.at("post_processor"), ids);
  } catch (const Json::exception &e) {
    // A type error nlohmann found before our checks did.
    root.fail(std::string("malformed tokenizer: ") + e.what());
  }
  return result;
}

std::vector<int64_t> Tokenizer::encode(const std::string &text,
                                       bool addSpecial) const {
  size_t bad = findInvalidUTF8(text);
  if (bad != std::string::npos) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02X",
                  static_cast<unsigned char>(text[bad]));
    throw TokenizerError("input is not valid UTF-8: byte " +
                         std::string(hex) + " at offset " +
                         std::to_string(bad));
  }
  std::vector<int64_t> ids = impl->encode(text);
  if (addSpecial && impl->postProcessor)
    impl->postProcessor->process(ids);
  return ids;
}

std::string Tokenizer::decodeBytes(const std::vector<int64_t> &ids,
                                   bool skipSpecial) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int64_t id : ids) {
    if (id < 0 || id >= impl->vocabSize)
      throw TokenizerError("token id " + std::to_string(id) +
                           " is outside the vocabulary [0, " +
                           std::to_string(impl->vocabSize) + ")");
    if (skipSpecial && isSpecial(id))
      continue;
    tokens.push_back(impl->idToToken[id]);
  }
  if (!impl->decoder) {
    // No decoder: the crate joins the tokens with spaces.
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i)
      out += (i ? " " : "") + tokens[i];
    return out;
  }
  impl->decoder->decodeChain(tokens);
  std::string out;
  for (const std::string &token : tokens)
    out += token;
  return out;
}

std::string Tokenizer::decode(const std::vector<int64_t> &ids,
                              bool skipSpecial) const {
  return lossyUTF8(decodeBytes(ids, skipSpecial));
}

int64_t Tokenizer::vocabSize() const { return impl->vocabSize; }

int64_t Tokenizer::tokenToId(const std::string &token) const {
  auto added = impl->addedByContent.find(token);
  if (added != impl->addedByContent.end())
    return added->second;
  auto it = impl->model->vocab().find(token);
  return it == impl->model->vocab().end() ? -1 : it->second;
}

std::string Tokenizer::idToToken(int64_t id) const {
  return id >= 0 && id < impl->vocabSize ? impl->idToToken[id] : "";
}

bool Tokenizer::isSpecial(int64_t id) const {
  auto it = impl->addedById.find(id);
  return it != impl->addedById.end() && impl->added[it->second].special;
}

const std::string &Tokenizer::path() const { return impl->path; }

std::string DecodeStream::step(int64_t id) {
  ids.push_back(id);
  // Decoding the whole sequence again keeps decoders that look at the
  // first token (Metaspace, Strip) right; the text only grows at its end.
  std::string bytes = tokenizer.decodeBytes(ids, skipSpecial);
  if (bytes.size() < emitted)
    return "";
  std::string fresh = bytes.substr(emitted);
  size_t complete = completeUTF8Prefix(fresh);
  emitted += complete;
  return lossyUTF8(fresh.substr(0, complete));
}

std::string DecodeStream::finish() {
  std::string bytes = tokenizer.decodeBytes(ids, skipSpecial);
  std::string rest = bytes.size() > emitted ? bytes.substr(emitted) : "";
  emitted = bytes.size();
  return lossyUTF8(rest);
}

} // namespace tokenizer
} // namespace tfc
