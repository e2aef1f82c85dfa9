//===- BPE.cpp - The BPE model of tokenizer.json ---------------------------===//
//
// tokenizers/src/models/bpe/model.rs and word.rs: a word is split into its
// characters (with continuing_subword_prefix / end_of_word_suffix, byte
// fallback to <0xNN> tokens, unk fusing), then pairs are merged lowest rank
// first (leftmost on ties) with a heap, as Word::merge_all does without
// dropout. ignore_merges (llama-3) takes a word that is in the vocabulary
// whole before merging.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <cstdio>
#include <queue>

namespace tfc {
namespace tokenizer {

namespace {
uint64_t pairKey(int64_t left, int64_t right) {
  return (static_cast<uint64_t>(left) << 32) | static_cast<uint32_t>(right);
}
} // namespace

BPE::BPE(const Json &json, const Where &where) {
  std::string type = optionalString(json, "type", "BPE", where);
  if (type != "BPE")
    where.at("type").fail("unsupported model type '" + type +
                          "' (supported: BPE)");
  if (json.contains("dropout") && !json["dropout"].is_null() &&
      json["dropout"].is_number() && json["dropout"].get<double>() > 0)
    where.at("dropout").fail("BPE dropout is not supported (it makes "
                             "encoding random)");
  const Json &vocab = member(json, "vocab", where);
  if (!vocab.is_object())
    where.at("vocab").fail("expected an object of token -> id");
  tokenIds.reserve(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0 ||
        it.value().get<int64_t>() > INT32_MAX)
      where.at("vocab").fail("token '" + it.key() +
                             "' has no valid id (expected an integer >= 0)");
    int64_t id = it.value().get<int64_t>();
    tokenIds.emplace(it.key(), id);
    largestId = std::max(largestId, id);
  }
  continuingSubwordPrefix =
      optionalString(json, "continuing_subword_prefix", "", where);
  endOfWordSuffix = optionalString(json, "end_of_word_suffix", "", where);
  if (json.contains("unk_token") && !json["unk_token"].is_null()) {
    unkToken = stringMember(json, "unk_token", where);
    haveUnk = true;
    if (!tokenIds.count(unkToken))
      where.at("unk_token").fail("'" + unkToken + "' is not in model.vocab");
  }
  fuseUnk = optionalBool(json, "fuse_unk", false, where);
  byteFallback = optionalBool(json, "byte_fallback", false, where);
  ignoreMerges = optionalBool(json, "ignore_merges", false, where);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    auto it = tokenIds.find(name);
    byteIds[b] = it == tokenIds.end() ? -1 : it->second;
  }

  const Json &list = member(json, "merges", where);
  if (!list.is_array())
    where.at("merges").fail("expected an array");
  merges.reserve(list.size());
  for (size_t rank = 0; rank < list.size(); ++rank) {
    const Json &merge = list[rank];
    Where at = where.at("merges").at(rank);
    std::string left, right;
    // Two forms: "a b" (older files) and ["a", "b"].
    if (merge.is_string()) {
      std::string line = merge.get<std::string>();
      size_t space = line.find(' ');
      if (space == std::string::npos ||
          line.find(' ', space + 1) != std::string::npos)
        at.fail("expected two tokens separated by one space, got '" + line +
                "'");
      left = line.substr(0, space);
      right = line.substr(space + 1);
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      left = merge[0].get<std::string>();
      right = merge[1].get<std::string>();
    } else {
      at.fail("expected \"a b\" or [\"a\", \"b\"]");
    }
    auto l = tokenIds.find(left), r = tokenIds.find(right);
    if (l == tokenIds.end() || r == tokenIds.end())
      at.fail("token '" + (l == tokenIds.end() ? left : right) +
              "' is not in model.vocab");
    std::string rightPart = right;
    if (!continuingSubwordPrefix.empty() &&
        right.compare(0, continuingSubwordPrefix.size(),
                      continuingSubwordPrefix) == 0)
      rightPart = right.substr(continuingSubwordPrefix.size());
    auto merged = tokenIds.find(left + rightPart);
    if (merged == tokenIds.end())
      at.fail("the merged token '" + left + rightPart +
              "' is not in model.vocab");
    merges.emplace(pairKey(l->second, r->second),
                   std::make_pair(static_cast<int32_t>(rank), merged->second));
  }
}

void BPE::mergeAll(std::vector<int64_t> &ids) const {
  if (ids.size() < 2)
    return;
  struct Symbol {
    int64_t id;
    long prev, next;
    bool alive;
  };
  std::vector<Symbol> symbols(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    symbols[i] = {ids[i], static_cast<long>(i) - 1,
                  i + 1 < ids.size() ? static_cast<long>(i + 1) : -1, true};
  struct Merge {
    long pos;
    int32_t rank;
    int64_t newId;
    bool operator<(const Merge &o) const {
      // A max-heap: the lowest rank, then the lowest position, on top.
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<Merge> queue;
  auto push = [&](long pos) {
    long next = symbols[pos].next;
    if (next < 0)
      return;
    auto it = merges.find(pairKey(symbols[pos].id, symbols[next].id));
    if (it != merges.end())
      queue.push({pos, it->second.first, it->second.second});
  };
  for (size_t i = 0; i + 1 < ids.size(); ++i)
    push(static_cast<long>(i));
  while (!queue.empty()) {
    Merge top = queue.top();
    queue.pop();
    Symbol &current = symbols[top.pos];
    if (!current.alive || current.next < 0)
      continue;
    Symbol &right = symbols[current.next];
    auto it = merges.find(pairKey(current.id, right.id));
    if (it == merges.end() || it->second.second != top.newId)
      continue; // a stale entry: one side was merged since
    current.id = top.newId;
    right.alive = false;
    current.next = right.next;
    if (right.next >= 0)
      symbols[right.next].prev = top.pos;
    if (current.prev >= 0)
      push(current.prev);
    push(top.pos);
  }
  ids.clear();
  for (const Symbol &s : symbols)
    if (s.alive)
      ids.push_back(s.id);
}

void BPE::tokenize(const std::string &word, std::vector<int64_t> &out) const {
  if (word.empty())
    return;
  if (ignoreMerges) {
    auto it = tokenIds.find(word);
    if (it != tokenIds.end()) {
      out.push_back(it->second);
      return;
    }
  }
  std::vector<int64_t> symbols;
  // A pending unknown: added when the next known character comes, as
  // merge_word does (after any byte-fallback tokens in between).
  bool pendingUnk = false;
  int64_t unkId = haveUnk ? tokenIds.at(unkToken) : -1;
  for (size_t i = 0; i < word.size();) {
    size_t n = utf8Length(static_cast<unsigned char>(word[i]));
    bool first = i == 0, last = i + n >= word.size();
    std::string s = word.substr(i, n);
    if (!first && !continuingSubwordPrefix.empty())
      s = continuingSubwordPrefix + s;
    if (last && !endOfWordSuffix.empty())
      s += endOfWordSuffix;
    i += n;
    auto it = tokenIds.find(s);
    if (it != tokenIds.end()) {
      if (pendingUnk) {
        symbols.push_back(unkId);
        pendingUnk = false;
      }
      symbols.push_back(it->second);
      continue;
    }
    if (byteFallback) {
      bool all = true;
      for (unsigned char c : s)
        all &= byteIds[c] >= 0;
      if (all) {
        for (unsigned char c : s)
          symbols.push_back(byteIds[c]);
        continue;
      }
    }
    if (haveUnk) {
      if (pendingUnk && !fuseUnk)
        symbols.push_back(unkId);
      pendingUnk = true;
    }
  }
  if (pendingUnk)
    symbols.push_back(unkId);
  mergeAll(symbols);
  out.insert(out.end(), symbols.begin(), symbols.end());
}

} // namespace tokenizer
} // namespace tfc
