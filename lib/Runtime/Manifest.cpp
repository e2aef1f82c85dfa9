//===- Manifest.cpp - Parser and validator of the weight manifest ---------===//

#include "Manifest.h"
#include "GeneratedABI.h"
#include "Support.h"

#include <mutex>
#include <unordered_set>

using namespace tfc::runtime;

namespace {

// ABI.md promises 64-byte aligned offsets: the generated code may assume it
// for vector loads.
constexpr int64_t kWeightAlignment = 64;

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t space = line.find(' ', start);
    fields.push_back(line.substr(start, space - start));
    if (space == std::string_view::npos)
      return fields;
    start = space + 1;
  }
}

bool parseShape(std::string_view text, std::vector<int64_t> &shape) {
  shape.clear();
  size_t start = 0;
  while (true) {
    size_t x = text.find('x', start);
    int64_t dim;
    if (!parseInt64(text.substr(start, x - start), dim) || dim <= 0)
      return false;
    shape.push_back(dim);
    if (x == std::string_view::npos)
      return true;
    start = x + 1;
  }
}

class ManifestParser {
public:
  ManifestParser(Manifest &manifest, std::string &error)
      : manifest(manifest), error(error) {}

  bool parse(std::string_view text);

private:
  Manifest &manifest;
  std::string &error;
  size_t lineNo = 0;
  std::vector<size_t> weightLines;
  std::unordered_set<std::string> seenKeys;
  std::unordered_set<std::string> seenWeights;
  int64_t kvCacheCount = 0;

  bool fail(const std::string &message) {
    error = "malformed tfc manifest: line " + std::to_string(lineNo) + ": " +
            message;
    return false;
  }
  /// For problems of the whole text, which no single line has.
  bool failWhole(const std::string &message) {
    error = "malformed tfc manifest: " + message;
    return false;
  }
  bool failAt(size_t line, const std::string &message) {
    lineNo = line;
    return fail(message);
  }
  bool parseLine(const std::vector<std::string_view> &fields);
  bool parseWeight(const std::vector<std::string_view> &fields);
  bool parseKVCache(const std::vector<std::string_view> &fields);
  bool checkLayout();
};

bool ManifestParser::parse(std::string_view text) {
  bool sawEnd = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    std::string_view line = text.substr(start, newline - start);
    start = newline == std::string_view::npos ? text.size() : newline + 1;
    ++lineNo;
    if (sawEnd) {
      if (!line.empty())
        return fail("text after 'end'");
      continue;
    }
    std::vector<std::string_view> fields = splitFields(line);
    for (std::string_view field : fields)
      if (field.empty())
        return fail("empty field (fields are separated by single spaces): '" +
                    std::string(line) + "'");
    if (lineNo == 1) {
      if (fields.size() != 2 || fields[0] != "tfc-manifest")
        return fail("expected 'tfc-manifest 2', got '" + std::string(line) +
                    "'");
      if (fields[1] != "2")
        return fail("unsupported manifest version " + std::string(fields[1]) +
                    " (this runtime reads version 2)");
      continue;
    }
    if (fields.size() == 1 && fields[0] == "end") {
      sawEnd = true;
      continue;
    }
    if (!parseLine(fields))
      return false;
  }
  if (lineNo == 0)
    return failWhole("empty manifest");
  if (!sawEnd)
    return failWhole("missing 'end' line (truncated manifest?)");
  for (const char *key : {"model", "vocab_size", "hidden_size", "num_layers",
                          "arena_bytes", "kv_caches"})
    if (!seenKeys.count(key))
      return failWhole(std::string("missing '") + key + "' record");
  if (static_cast<int64_t>(manifest.kvCaches.size()) != kvCacheCount)
    return failWhole("'kv_caches " + std::to_string(kvCacheCount) + "' but " +
                     std::to_string(manifest.kvCaches.size()) +
                     " 'kv_cache' records");
  return checkLayout();
}

bool ManifestParser::parseLine(const std::vector<std::string_view> &fields) {
  std::string key(fields[0]);
  if (key == "weight")
    return parseWeight(fields);
  if (key == "kv_cache")
    return parseKVCache(fields);
  struct IntKey {
    const char *name;
    int64_t *field;
    int64_t min;
  };
  const IntKey intKeys[] = {
      {"vocab_size", &manifest.vocabSize, 1},
      {"hidden_size", &manifest.hiddenSize, 1},
      {"num_layers", &manifest.numLayers, 0},
      {"arena_bytes", &manifest.arenaBytes, 0},
      {"kv_caches", &kvCacheCount, 0},
  };
  bool isModel = key == "model";
  const IntKey *intKey = nullptr;
  for (const IntKey &k : intKeys)
    if (key == k.name)
      intKey = &k;
  if (!isModel && !intKey)
    return fail("unknown record '" + key + "'");
  if (fields.size() != 2)
    return fail("'" + key + "' takes exactly one value");
  if (!seenKeys.insert(key).second)
    return fail("duplicate '" + key + "' record");
  if (isModel) {
    manifest.modelType = std::string(fields[1]);
    return true;
  }
  int64_t value;
  if (!parseInt64(fields[1], value) || value < intKey->min)
    return fail("'" + key +
                "' must be an integer >= " + std::to_string(intKey->min) +
                ", got '" + std::string(fields[1]) + "'");
  *intKey->field = value;
  return true;
}

bool ManifestParser::parseKVCache(const std::vector<std::string_view> &fields) {
  ManifestKVCache cache;
  if (fields.size() != 3 || !parseInt64(fields[1], cache.floatsPerToken) ||
      !parseInt64(fields[2], cache.window) || cache.floatsPerToken < 1 ||
      cache.window < 0)
    return fail("expected 'kv_cache <floats_per_token >= 1> <window >= 0>'");
  manifest.kvCaches.push_back(cache);
  return true;
}

bool ManifestParser::parseWeight(const std::vector<std::string_view> &fields) {
  if (fields.size() != 5)
    return fail("expected 'weight <name> <dtype> <d0>x<d1>... <offset>'");
  ManifestWeight weight;
  weight.name = std::string(fields[1]);
  weight.dtype = std::string(fields[2]);
  if (weight.dtype != "f32")
    return fail("weight '" + weight.name + "': unsupported arena dtype '" +
                weight.dtype + "' (this runtime supports f32)");
  if (!parseShape(fields[3], weight.shape))
    return fail("weight '" + weight.name + "': malformed shape '" +
                std::string(fields[3]) + "' (expected positive <d0>x<d1>...)");
  if (!parseInt64(fields[4], weight.offset) || weight.offset < 0)
    return fail("weight '" + weight.name + "': malformed offset '" +
                std::string(fields[4]) + "'");
  if (weight.offset % kWeightAlignment)
    return fail("weight '" + weight.name + "': offset " +
                std::to_string(weight.offset) + " is not a multiple of " +
                std::to_string(kWeightAlignment));
  if (!checkedVolume(weight.shape, 1, weight.numElements) ||
      !checkedVolume(weight.shape, sizeof(float), weight.numBytes))
    return fail("weight '" + weight.name + "': shape too large");
  if (!seenWeights.insert(weight.name).second)
    return fail("duplicate weight '" + weight.name + "'");
  manifest.weights.push_back(std::move(weight));
  weightLines.push_back(lineNo);
  return true;
}

// Weights come in arena order and must neither overlap nor leave the arena.
bool ManifestParser::checkLayout() {
  int64_t end = 0;
  for (size_t i = 0; i < manifest.weights.size(); ++i) {
    const ManifestWeight &weight = manifest.weights[i];
    if (weight.offset < end)
      return failAt(weightLines[i],
                    "weight '" + weight.name + "' at offset " +
                        std::to_string(weight.offset) +
                        " overlaps the previous weight, which ends at " +
                        std::to_string(end));
    if (__builtin_add_overflow(weight.offset, weight.numBytes, &end) ||
        end > manifest.arenaBytes)
      return failAt(weightLines[i], "weight '" + weight.name +
                                        "' ends beyond arena_bytes " +
                                        std::to_string(manifest.arenaBytes));
  }
  return true;
}

} // namespace

bool tfc::runtime::Manifest::kvCacheFloats(int64_t maxContext,
                                           int64_t &floats) const {
  floats = 0;
  for (const ManifestKVCache &cache : kvCaches) {
    int64_t layer;
    if (__builtin_mul_overflow(cache.rows(maxContext), cache.floatsPerToken,
                               &layer) ||
        __builtin_add_overflow(floats, layer, &floats))
      return false;
  }
  return true;
}

bool tfc::runtime::parseManifest(std::string_view text, Manifest &result,
                                 std::string &error) {
  result = Manifest();
  return ManifestParser(result, error).parse(text);
}

const char *tfc::runtime::getLibraryManifestText() { return tfc_manifest; }

const Manifest *tfc::runtime::getLibraryManifest(std::string &error) {
  // The text is constant, so one parse serves the whole process.
  static Manifest manifest;
  static std::string parseError;
  static bool ok;
  static std::once_flag once;
  std::call_once(
      once, [] { ok = parseManifest(tfc_manifest, manifest, parseError); });
  if (!ok) {
    error = parseError;
    return nullptr;
  }
  return &manifest;
}
