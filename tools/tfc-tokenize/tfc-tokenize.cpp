//===- tfc-tokenize.cpp - Text to token ids and back with tokenizer.json ---===//

#include "tfc/Tokenizer/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

using namespace tfc::tokenizer;

namespace {

const char *const kUsage = R"(usage: tfc-tokenize PATH [options] < INPUT

PATH is a Hugging Face tokenizer.json or a directory holding one. Reads UTF-8
text on stdin (all of it, newlines included) and prints its token ids on one
line, comma separated.

  --add-special   add the special tokens of the post_processor (BOS/EOS)
  --decode        read comma-separated ids on stdin, print their text
                  (exactly the text: no newline is added)
  --skip-special  with --decode, leave out special tokens
  --jsonl         one input per line: each line a JSON string to encode
                  (one line of ids out per line in), or with --decode a
                  line of ids (one JSON string out per line in)
  --help          print this help

Errors (invalid UTF-8, a malformed tokenizer.json, an unknown model type,
an id outside the vocabulary) go to stderr with exit status 1.
)";

[[noreturn]] void fatal(const std::string &message) {
  std::fprintf(stderr, "tfc-tokenize: error: %s\n", message.c_str());
  std::exit(1);
}

std::vector<int64_t> parseIds(std::string text) {
  while (!text.empty() && std::isspace((unsigned char)text.back()))
    text.pop_back();
  std::vector<int64_t> ids;
  size_t at = 0;
  auto skipSpace = [&] {
    while (at < text.size() && std::isspace((unsigned char)text[at]))
      ++at;
  };
  skipSpace();
  if (at == text.size())
    return ids;
  while (true) {
    skipSpace();
    size_t start = at;
    if (at < text.size() && text[at] == '-')
      ++at;
    while (at < text.size() && std::isdigit((unsigned char)text[at]))
      ++at;
    if (at == start || (at == start + 1 && text[start] == '-'))
      fatal("malformed ids '" + text + "' at offset " + std::to_string(start) +
            " (expected comma-separated integers such as 1,2,3)");
    errno = 0;
    long long id = std::strtoll(text.c_str() + start, nullptr, 10);
    if (errno == ERANGE)
      fatal("id out of range in '" + text + "'");
    ids.push_back(id);
    skipSpace();
    if (at == text.size())
      return ids;
    if (text[at] != ',')
      fatal("malformed ids '" + text + "' at offset " + std::to_string(at) +
            " (expected comma-separated integers such as 1,2,3)");
    ++at;
  }
}

std::string joinIds(const std::vector<int64_t> &ids) {
  std::string line;
  for (size_t i = 0; i < ids.size(); ++i)
    line += (i ? "," : "") + std::to_string(ids[i]);
  return line;
}

} // namespace

int main(int argc, char **argv) {
  std::string path;
  bool addSpecial = false, decode = false, skipSpecial = false, jsonl = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--add-special") {
      addSpecial = true;
    } else if (arg == "--decode") {
      decode = true;
    } else if (arg == "--skip-special") {
      skipSpecial = true;
    } else if (arg == "--jsonl") {
      jsonl = true;
    } else if (arg.rfind("--", 0) == 0) {
      fatal("unknown option '" + arg + "' (see tfc-tokenize --help)");
    } else if (!path.empty()) {
      fatal("more than one tokenizer given: '" + path + "' and '" + arg + "'");
    } else {
      path = arg;
    }
  }
  if (path.empty())
    fatal("no tokenizer given (usage: tfc-tokenize PATH [options]; see "
          "--help)");
  try {
    std::unique_ptr<Tokenizer> tokenizer = Tokenizer::fromFile(path);
    if (!jsonl) {
      std::string input((std::istreambuf_iterator<char>(std::cin)),
                        std::istreambuf_iterator<char>());
      if (decode)
        std::fputs(tokenizer->decode(parseIds(input), skipSpecial).c_str(),
                   stdout);
      else
        std::printf("%s\n",
                    joinIds(tokenizer->encode(input, addSpecial)).c_str());
      return 0;
    }
    std::string line;
    for (size_t lineNo = 1; std::getline(std::cin, line); ++lineNo) {
      if (decode) {
        std::string text =
            tokenizer->decode(parseIds(line), skipSpecial);
        std::printf("%s\n", nlohmann::json(text).dump().c_str());
        continue;
      }
      nlohmann::json value;
      try {
        value = nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception &e) {
        fatal("stdin line " + std::to_string(lineNo) +
              ": expected a JSON string: " + e.what());
      }
      if (!value.is_string())
        fatal("stdin line " + std::to_string(lineNo) +
              ": expected a JSON string");
      std::printf("%s\n",
                  joinIds(tokenizer->encode(value.get<std::string>(),
                                            addSpecial))
                      .c_str());
    }
  } catch (const TokenizerError &e) {
    fatal(e.what());
  }
  return 0;
}
