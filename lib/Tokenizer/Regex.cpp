//===- Regex.cpp - PCRE2 regexes and string patterns for Split/Replace ----===//
//
// The tokenizers crate compiles its patterns with Oniguruma; the patterns in
// tokenizer.json files (gpt2's, llama-3's, qwen2's) use Perl syntax with
// Unicode classes, which PCRE2 reads the same in UTF + UCP mode.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace tfc {
namespace tokenizer {

namespace {
pcre2_code *asCode(void *code) { return static_cast<pcre2_code *>(code); }

// One JIT stack per thread, large enough for the backtracking of
// `\s+(?!\S)` over long runs of whitespace.
struct MatchState {
  pcre2_match_context *context = nullptr;
  pcre2_jit_stack *stack = nullptr;
  MatchState() {
    context = pcre2_match_context_create(nullptr);
    stack = pcre2_jit_stack_create(64 * 1024, 16 * 1024 * 1024, nullptr);
    if (context && stack)
      pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~MatchState() {
    pcre2_jit_stack_free(stack);
    pcre2_match_context_free(context);
  }
};
thread_local MatchState matchState;
} // namespace

Regex::Regex(const std::string &pattern, const Where &where)
    : pattern(pattern) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code *compiled = pcre2_compile(
      reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
      PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &error, &offset, nullptr);
  if (!compiled) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    where.fail("invalid regex '" + pattern + "' at offset " +
               std::to_string(offset) + ": " +
               reinterpret_cast<char *>(message));
  }
  code = compiled;
  jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0;
}

Regex::~Regex() { pcre2_code_free(asCode(code)); }

std::vector<std::pair<size_t, size_t>>
Regex::findAll(const std::string &text) const {
  std::vector<std::pair<size_t, size_t>> matches;
  pcre2_match_data *data =
      pcre2_match_data_create_from_pattern(asCode(code), nullptr);
  auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  size_t at = 0;
  while (at <= text.size()) {
    // The input was checked once as a whole: no per-call UTF check.
    int rc = jit ? pcre2_jit_match(asCode(code), subject, text.size(), at,
                                   PCRE2_NO_UTF_CHECK, data,
                                   matchState.context)
                 : pcre2_match(asCode(code), subject, text.size(), at,
                               PCRE2_NO_UTF_CHECK, data, matchState.context);
    if (rc == PCRE2_ERROR_NOMATCH)
      break;
    if (rc < 0) {
      pcre2_match_data_free(data);
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(rc, message, sizeof(message));
      throw TokenizerError("regex '" + pattern + "' failed on the input: " +
                           reinterpret_cast<char *>(message));
    }
    PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(data);
    size_t begin = ovector[0], end = ovector[1];
    if (end > begin)
      matches.emplace_back(begin, end);
    if (end == begin) {
      // Step over one character after an empty match.
      if (end >= text.size())
        break;
      end += utf8Length(static_cast<unsigned char>(text[end]));
    }
    at = end;
  }
  pcre2_match_data_free(data);
  return matches;
}

Pattern::Pattern(const Json &json, const Where &where) {
  if (!json.is_object())
    where.fail("expected {\"String\": ...} or {\"Regex\": ...}");
  if (json.contains("Regex"))
    regex = std::make_unique<Regex>(stringMember(json, "Regex", where), where);
  else if (json.contains("String"))
    literal = stringMember(json, "String", where);
  else
    where.fail("expected {\"String\": ...} or {\"Regex\": ...}");
}

std::vector<std::pair<size_t, size_t>>
Pattern::findAll(const std::string &text) const {
  if (regex)
    return regex->findAll(text);
  std::vector<std::pair<size_t, size_t>> matches;
  if (literal.empty())
    return matches;
  for (size_t at = text.find(literal); at != std::string::npos;
       at = text.find(literal, at + literal.size()))
    matches.emplace_back(at, at + literal.size());
  return matches;
}

} // namespace tokenizer
} // namespace tfc
