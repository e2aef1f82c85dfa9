//===- Tokenizer.h - Hugging Face tokenizer.json: encode, decode, stream --===//
//
// A tokenizer read from a `tokenizer.json` file (the Hugging Face tokenizers
// format): normalizer, pre-tokenizer, BPE model (byte-level as gpt2,
// llama-3 and qwen2 use it; SentencePiece-style with byte fallback as
// llama-2, mistral and gemma), added and special tokens, post-processor and
// decoder. Plain C++17 on nlohmann-json, PCRE2 and utf8proc: no LLVM or MLIR,
// like the runtime. docs/text.md lists what is supported.
//
// Every error is a TokenizerError whose message names the file and what is
// wrong with it (the JSON field, the value), or the input byte that is not
// UTF-8.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_TOKENIZER_TOKENIZER_H
#define TFC_TOKENIZER_TOKENIZER_H

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tfc {
namespace tokenizer {

class TokenizerError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct TokenizerImpl;

class Tokenizer {
public:
  /// Reads PATH, a tokenizer.json file or a directory holding one.
  static std::unique_ptr<Tokenizer> fromFile(const std::string &path);
  ~Tokenizer();

  /// Text (UTF-8; invalid UTF-8 is an error naming the byte offset) to ids.
  /// addSpecial applies the post-processor (BOS/EOS templates).
  std::vector<int64_t> encode(const std::string &text,
                              bool addSpecial = false) const;

  /// Ids to text. Bytes that do not form UTF-8 (a sequence cut short) become
  /// U+FFFD. skipSpecial leaves out added tokens marked `special`.
  std::string decode(const std::vector<int64_t> &ids,
                     bool skipSpecial = false) const;
  /// As decode, but the raw bytes: possibly invalid or incomplete UTF-8.
  std::string decodeBytes(const std::vector<int64_t> &ids,
                          bool skipSpecial = false) const;

  /// One more than the largest id of the vocabulary and the added tokens.
  int64_t vocabSize() const;
  /// The id of a token (vocabulary or added), or -1.
  int64_t tokenToId(const std::string &token) const;
  /// The token string of an id ("" when out of range).
  std::string idToToken(int64_t id) const;
  bool isSpecial(int64_t id) const;
  /// The file read.
  const std::string &path() const;

private:
  Tokenizer();
  std::unique_ptr<TokenizerImpl> impl;
};

/// Streaming decode: feed ids one at a time, get the text they add as soon
/// as it is complete UTF-8 (the bytes of a character cut between tokens are
/// held back until the token that completes it).
class DecodeStream {
public:
  explicit DecodeStream(const Tokenizer &tokenizer, bool skipSpecial = true)
      : tokenizer(tokenizer), skipSpecial(skipSpecial) {}
  /// The new complete text after id.
  std::string step(int64_t id);
  /// What is held back, as text (an incomplete character becomes U+FFFD).
  std::string finish();

private:
  const Tokenizer &tokenizer;
  bool skipSpecial;
  std::vector<int64_t> ids;
  size_t emitted = 0; // bytes of the decoded text already returned
};

/// UTF-8 checks shared by the tools.
/// Offset of the first byte that is not part of valid UTF-8, or npos.
size_t findInvalidUTF8(const std::string &text);
/// Length of the longest prefix of text that does not end inside a
/// character (an incomplete but so far valid sequence at the end).
size_t completeUTF8Prefix(const std::string &text);
/// text with every invalid or cut-short sequence replaced by U+FFFD.
std::string lossyUTF8(const std::string &text);

} // namespace tokenizer
} // namespace tfc

#endif // TFC_TOKENIZER_TOKENIZER_H
