//===- Manifest.cpp - Parser and validator of the weight manifest ---------===//

#include "Manifest.h"
#include "GeneratedABI.h"
#include "Support.h"

#include <mutex>
#include <unordered_set>

using namespace tfc::runtime;

namespace {

// ABI.md: every KV cache starts at a multiple of 64 bytes, so that the
// generated code may use aligned vector loads on each layer's rows.
constexpr int64_t kKVCacheAlignment = 64;

constexpr int kManifestVersion = 3;

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
  std::unordered_set<std::string> seenKeys;
  std::unordered_set<std::string> seenNames;
  int64_t kvCacheCount = 0;
  int64_t weightCount = 0;

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
  bool once(const std::string &key) {
    if (seenKeys.insert(key).second)
      return true;
    return fail("duplicate '" + key + "' record");
  }
  bool parseLine(const std::vector<std::string_view> &fields);
  bool parseWeight(const std::vector<std::string_view> &fields);
  bool parseOptional(const std::vector<std::string_view> &fields);
  bool parseKVCache(const std::vector<std::string_view> &fields);
  bool parseContext(const std::vector<std::string_view> &fields);
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
      std::string expected =
          "tfc-manifest " + std::to_string(kManifestVersion);
      if (fields.size() != 2 || fields[0] != "tfc-manifest")
        return fail("expected '" + expected + "', got '" + std::string(line) +
                    "'");
      if (fields[1] != std::to_string(kManifestVersion))
        return fail("unsupported manifest version " + std::string(fields[1]) +
                    " (this runtime reads version " +
                    std::to_string(kManifestVersion) +
                    "; rebuild the model with a matching tfc-compile)");
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
  for (const char *key :
       {"model", "vocab_size", "hidden_size", "num_layers", "context",
        "base_model_prefix", "kv_dtype", "kv_caches", "weights"})
    if (!seenKeys.count(key))
      return failWhole(std::string("missing '") + key + "' record");
  if (static_cast<int64_t>(manifest.kvCaches.size()) != kvCacheCount)
    return failWhole("'kv_caches " + std::to_string(kvCacheCount) + "' but " +
                     std::to_string(manifest.kvCaches.size()) +
                     " 'kv_cache' records");
  if (static_cast<int64_t>(manifest.weights.size()) != weightCount)
    return failWhole("'weights " + std::to_string(weightCount) + "' but " +
                     std::to_string(manifest.weights.size()) +
                     " 'weight' records");
  return true;
}

bool ManifestParser::parseLine(const std::vector<std::string_view> &fields) {
  std::string key(fields[0]);
  if (key == "weight")
    return parseWeight(fields);
  if (key == "optional")
    return parseOptional(fields);
  if (key == "kv_cache")
    return parseKVCache(fields);
  if (key == "context")
    return parseContext(fields);
  struct IntKey {
    const char *name;
    int64_t *field;
    int64_t min;
  };
  const IntKey intKeys[] = {
      {"vocab_size", &manifest.vocabSize, 1},
      {"hidden_size", &manifest.hiddenSize, 1},
      {"num_layers", &manifest.numLayers, 0},
      {"kv_caches", &kvCacheCount, 0},
      {"weights", &weightCount, 0},
  };
  bool isString =
      key == "model" || key == "base_model_prefix" || key == "kv_dtype";
  const IntKey *intKey = nullptr;
  for (const IntKey &k : intKeys)
    if (key == k.name)
      intKey = &k;
  if (!isString && !intKey)
    return fail("unknown record '" + key + "'");
  if (fields.size() != 2)
    return fail("'" + key + "' takes exactly one value");
  if (!once(key))
    return false;
  std::string value(fields[1]);
  if (key == "model") {
    manifest.modelType = value;
    return true;
  }
  if (key == "base_model_prefix") {
    manifest.baseModelPrefix = value == "-" ? "" : value;
    return true;
  }
  if (key == "kv_dtype") {
    if (!parseManifestDType(value, manifest.kvDType))
      return fail("unsupported kv_dtype '" + value +
                  "' (expected f32, bf16 or f16)");
    return true;
  }
  int64_t number;
  if (!parseInt64(fields[1], number) || number < intKey->min)
    return fail("'" + key +
                "' must be an integer >= " + std::to_string(intKey->min) +
                ", got '" + value + "'");
  *intKey->field = number;
  return true;
}

bool ManifestParser::parseContext(const std::vector<std::string_view> &fields) {
  if (fields.size() != 3 ||
      !parseInt64(fields[1], manifest.trainedContext) ||
      !parseInt64(fields[2], manifest.positionLimit) ||
      manifest.trainedContext < 0 || manifest.positionLimit < 0)
    return fail("expected 'context <trained >= 0> <limit >= 0>'");
  if (!once("context"))
    return false;
  if (manifest.positionLimit > 0 &&
      manifest.trainedContext > manifest.positionLimit)
    return fail("trained context " + std::to_string(manifest.trainedContext) +
                " exceeds the position limit " +
                std::to_string(manifest.positionLimit));
  return true;
}

bool ManifestParser::parseKVCache(const std::vector<std::string_view> &fields) {
  ManifestKVCache cache;
  if (fields.size() != 3 || !parseInt64(fields[1], cache.elementsPerToken) ||
      !parseInt64(fields[2], cache.window) || cache.elementsPerToken < 1 ||
      cache.window < 0)
    return fail(
        "expected 'kv_cache <elements_per_token >= 1> <window >= 0>'");
  manifest.kvCaches.push_back(cache);
  return true;
}

bool ManifestParser::parseWeight(const std::vector<std::string_view> &fields) {
  if (fields.size() != 4)
    return fail("expected 'weight <name> <f32|bf16|f16> <d0>x<d1>...'");
  ManifestWeight weight;
  weight.name = std::string(fields[1]);
  if (!parseManifestDType(fields[2], weight.dtype))
    return fail("weight '" + weight.name + "': unsupported dtype '" +
                std::string(fields[2]) + "' (expected f32, bf16 or f16)");
  if (!parseShape(fields[3], weight.shape))
    return fail("weight '" + weight.name + "': malformed shape '" +
                std::string(fields[3]) + "' (expected positive <d0>x<d1>...)");
  if (!checkedVolume(weight.shape, 1, weight.numElements) ||
      !checkedVolume(weight.shape, dtypeSize(weight.dtype), weight.numBytes))
    return fail("weight '" + weight.name + "': shape too large");
  if (!seenNames.insert(weight.name).second)
    return fail("duplicate weight '" + weight.name + "'");
  manifest.weights.push_back(std::move(weight));
  return true;
}

bool ManifestParser::parseOptional(
    const std::vector<std::string_view> &fields) {
  if (fields.size() != 2)
    return fail("expected 'optional <name>'");
  std::string name(fields[1]);
  if (!seenNames.insert(name).second)
    return fail("optional '" + name + "' is also a weight or listed twice");
  manifest.optional.push_back(std::move(name));
  return true;
}

} // namespace

bool tfc::runtime::Manifest::kvCacheLayout(int64_t maxContext,
                                           std::vector<int64_t> &starts,
                                           int64_t &totalBytes) const {
  starts.clear();
  int64_t offset = 0;
  int64_t elementBytes = dtypeSize(kvDType);
  for (const ManifestKVCache &cache : kvCaches) {
    starts.push_back(offset);
    int64_t bytes;
    if (__builtin_mul_overflow(cache.rows(maxContext), cache.elementsPerToken,
                               &bytes) ||
        __builtin_mul_overflow(bytes, elementBytes, &bytes) ||
        __builtin_add_overflow(offset, bytes, &offset) ||
        __builtin_add_overflow(offset, kKVCacheAlignment - 1, &offset))
      return false;
    offset &= ~(kKVCacheAlignment - 1);
  }
  totalBytes = offset;
  return true;
}

int64_t tfc::runtime::Manifest::defaultMaxContext() const {
  int64_t context = trainedContext > 0 && trainedContext < kDefaultMaxContext
                        ? trainedContext
                        : kDefaultMaxContext;
  if (positionLimit > 0 && positionLimit < context)
    context = positionLimit;
  return context;
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
