//===- Internal.h - The pieces of a tokenizer pipeline --------------------===//
//
// The stages of the Hugging Face tokenizers pipeline as tfc implements them:
// normalizer, pre-tokenizer, BPE model, post-processor and decoder, each
// built from its tokenizer.json object. Names follow the Rust crate's
// (`tokenizers/src/{normalizers,pre_tokenizers,models/bpe,processors,
// decoders}`), which is the behaviour the tests compare against.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_LIB_TOKENIZER_INTERNAL_H
#define TFC_LIB_TOKENIZER_INTERNAL_H

#include "tfc/Tokenizer/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tfc {
namespace tokenizer {

using Json = nlohmann::json;

/// Where in the file a JSON value sits, for error messages:
/// "tokenizer.json: pre_tokenizer.pretokenizers[0].pattern: ...".
struct Where {
  const std::string &file;
  std::string field;
  Where at(const std::string &key) const {
    return {file, field.empty() ? key : field + "." + key};
  }
  Where at(size_t index) const {
    return {file, field + "[" + std::to_string(index) + "]"};
  }
  [[noreturn]] void fail(const std::string &what) const;
};

/// Field accessors that fail with the field's path.
const Json &member(const Json &object, const char *key, const Where &where);
std::string stringMember(const Json &object, const char *key,
                         const Where &where);
/// A string, or fallback when the key is absent or null.
std::string optionalString(const Json &object, const char *key,
                           const std::string &fallback, const Where &where);
bool optionalBool(const Json &object, const char *key, bool fallback,
                  const Where &where);

// ---- UTF-8 ----------------------------------------------------------------
/// Byte length of the character starting with lead byte c (1 for invalid).
size_t utf8Length(unsigned char c);
/// Decodes the character at text[i] (valid UTF-8 assumed).
uint32_t decodeUTF8(const std::string &text, size_t i);
void appendUTF8(std::string &out, uint32_t codepoint);
bool isUnicodeWhitespace(uint32_t codepoint);

// ---- Regex (PCRE2, UTF-8 + UCP, JIT when available) -------------------------
class Regex {
public:
  Regex(const std::string &pattern, const Where &where);
  ~Regex();
  Regex(const Regex &) = delete;
  Regex &operator=(const Regex &) = delete;
  /// Every non-overlapping match of text as [begin, end) byte offsets.
  std::vector<std::pair<size_t, size_t>> findAll(const std::string &text) const;

private:
  void *code = nullptr; // pcre2_code_8
  bool jit = false;
  std::string pattern;
};

/// How to find the delimiters of a Split or Replace: a literal string or a
/// regex (tokenizer.json's {"String": ...} / {"Regex": ...}).
class Pattern {
public:
  Pattern(const Json &json, const Where &where);
  std::vector<std::pair<size_t, size_t>> findAll(const std::string &text) const;

private:
  std::string literal;
  std::unique_ptr<Regex> regex;
};

// ---- Normalizers --------------------------------------------------------------
class Normalizer {
public:
  virtual ~Normalizer() = default;
  virtual std::string normalize(const std::string &text) const = 0;
};
std::unique_ptr<Normalizer> makeNormalizer(const Json &json,
                                           const Where &where);

// ---- Pre-tokenizers -------------------------------------------------------------
/// A piece of the input on its way to the model; atStart says whether it
/// begins at offset 0 of the original text (Metaspace's prepend_scheme
/// "first" prepends only there).
struct Piece {
  std::string text;
  bool atStart;
};

class PreTokenizer {
public:
  virtual ~PreTokenizer() = default;
  virtual void preTokenize(std::vector<Piece> &pieces) const = 0;
};
std::unique_ptr<PreTokenizer> makePreTokenizer(const Json &json,
                                               const Where &where);

/// Split behaviours of tokenizers' SplitDelimiterBehavior.
enum class SplitBehavior {
  Removed,
  Isolated,
  MergedWithPrevious,
  MergedWithNext,
  Contiguous
};
/// Splits every piece at the matches, as NormalizedString::split does.
void splitPieces(std::vector<Piece> &pieces, const Pattern &pattern,
                 SplitBehavior behavior, bool invert);

/// GPT-2's byte-to-unicode table (bytes_to_unicode) and its inverse.
const std::vector<std::string> &byteToUnicode();
/// -1 for a character outside the table.
int unicodeToByte(uint32_t codepoint);

// ---- Model ------------------------------------------------------------------------
class BPE {
public:
  BPE(const Json &json, const Where &where);
  void tokenize(const std::string &word, std::vector<int64_t> &out) const;
  const std::unordered_map<std::string, int64_t> &vocab() const {
    return tokenIds;
  }
  int64_t maxId() const { return largestId; }

private:
  std::unordered_map<std::string, int64_t> tokenIds;
  // (left id, right id) -> (rank, merged id)
  std::unordered_map<uint64_t, std::pair<int32_t, int64_t>> merges;
  std::string continuingSubwordPrefix, endOfWordSuffix, unkToken;
  bool haveUnk = false, fuseUnk = false, byteFallback = false;
  bool ignoreMerges = false;
  int64_t largestId = -1;
  int64_t byteIds[256];
  void mergeAll(std::vector<int64_t> &symbols) const;
};

// ---- Post-processor -------------------------------------------------------------
class PostProcessor {
public:
  virtual ~PostProcessor() = default;
  virtual void process(std::vector<int64_t> &ids) const = 0;
};
std::unique_ptr<PostProcessor>
makePostProcessor(const Json &json, const Where &where,
                  const std::unordered_map<std::string, int64_t> &ids);

// ---- Decoders ---------------------------------------------------------------------
class Decoder {
public:
  virtual ~Decoder() = default;
  /// decode_chain: token strings in, token strings out (bytes: a byte-level
  /// or byte-fallback token may hold part of a character).
  virtual void decodeChain(std::vector<std::string> &tokens) const = 0;
};
std::unique_ptr<Decoder> makeDecoder(const Json &json, const Where &where);

} // namespace tokenizer
} // namespace tfc

#endif // TFC_LIB_TOKENIZER_INTERNAL_H
