//===- Manifest.cpp - Validator of the compiled model's manifest table ----===//

#include "Manifest.h"
#include "GeneratedABI.h"
#include "Support.h"

#include <cstring>
#include <dlfcn.h>
#include <unordered_set>

using namespace tfc::runtime;

namespace {

// ABI.md: every KV cache starts at a multiple of 64 bytes, so that the
// generated code may use aligned vector loads on each layer's rows.
constexpr int64_t kKVCacheAlignment = 64;

// Bounds on what a table may claim, so that a garbage count or string ends
// in an error instead of a loop over unmapped memory. Each is far above a
// real model's (Kimi-K2: ~70k weights; names under 100 bytes).
constexpr int64_t kMaxRecords = int64_t(1) << 24;
constexpr size_t kMaxStringBytes = 4096;

// Text manifests (versions 1-3) start with this; see ManifestABI.h.
constexpr char kTextManifestPrefix[] = "tfc-manifest ";

class ManifestReader {
public:
  ManifestReader(const std::string &library, Manifest &manifest,
                 std::string &error)
      : library(library), manifest(manifest), error(error) {}

  bool read(const void *symbol);

private:
  const std::string &library;
  Manifest &manifest;
  std::string &error;

  bool fail(const std::string &message) {
    error = "malformed tfc manifest in '" + library + "': " + message;
    return false;
  }
  bool readHeader(const char *bytes);
  /// A NUL-terminated string of printable ASCII without spaces (names are
  /// single fields of the text form); empty only when `mayBeEmpty`.
  bool readString(const char *value, const std::string &what, bool mayBeEmpty,
                  std::string &result);
  bool readDType(int64_t value, const std::string &what, DType &result);
  bool readCount(int64_t count, const void *records, const char *what);
  bool readWeight(const tfc_manifest_weight_v4 &record, int64_t index);
};

bool ManifestReader::readHeader(const char *bytes) {
  // The table may come from another tfc version, or not from tfc at all:
  // only the magic's 8 bytes are read before it is known to be a table.
  if (std::memcmp(bytes, TFC_MANIFEST_MAGIC, sizeof(TFC_MANIFEST_MAGIC)) == 0)
    return true;
  std::string rebuild = "this runtime reads manifest version " +
                        std::to_string(TFC_MANIFEST_VERSION) +
                        "; rebuild the model with a matching tfc-compile";
  if (std::memcmp(bytes, kTextManifestPrefix, 8) == 0) {
    // A text manifest is NUL-terminated: its first line can be read whole.
    std::string line;
    for (size_t i = 0; i < 32 && bytes[i] && bytes[i] != '\n'; ++i)
      line += bytes[i];
    error = "unsupported tfc manifest in '" + library +
            "': it is the text manifest of an older tfc-compile ('" + line +
            "'); " + rebuild;
    return false;
  }
  error = "unsupported tfc manifest in '" + library +
          "': tfc_manifest does not start with the magic \"" +
          TFC_MANIFEST_MAGIC +
          "\" (not a model compiled by tfc, or by an incompatible version); " +
          rebuild;
  return false;
}

bool ManifestReader::readString(const char *value, const std::string &what,
                                bool mayBeEmpty, std::string &result) {
  if (!value)
    return fail(what + " is NULL");
  size_t length = 0;
  while (length < kMaxStringBytes && value[length])
    ++length;
  if (length == kMaxStringBytes)
    return fail(what + " is not NUL-terminated within " +
                std::to_string(kMaxStringBytes) + " bytes");
  if (length == 0 && !mayBeEmpty)
    return fail(what + " is empty");
  for (size_t i = 0; i < length; ++i)
    if (value[i] <= ' ' || value[i] > '~')
      return fail(what + " '" + std::string(value, length) +
                  "' has a character outside printable ASCII without spaces");
  result.assign(value, length);
  return true;
}

bool ManifestReader::readDType(int64_t value, const std::string &what,
                               DType &result) {
  switch (value) {
  case TFC_MANIFEST_F32:
    result = DType::F32;
    return true;
  case TFC_MANIFEST_BF16:
    result = DType::BF16;
    return true;
  case TFC_MANIFEST_F16:
    result = DType::F16;
    return true;
  }
  return fail(what + " " + std::to_string(value) +
              " is not an element type (1: f32, 2: bf16, 3: f16)");
}

bool ManifestReader::readCount(int64_t count, const void *records,
                               const char *what) {
  if (count < 0 || count > kMaxRecords)
    return fail(std::string("num_") + what + " " + std::to_string(count) +
                " is outside [0, " + std::to_string(kMaxRecords) + "]");
  if (count > 0 && !records)
    return fail(std::string("num_") + what + " is " + std::to_string(count) +
                " but " + what + " is NULL");
  return true;
}

bool ManifestReader::readWeight(const tfc_manifest_weight_v4 &record,
                                int64_t index) {
  ManifestWeight weight;
  std::string what = "weight " + std::to_string(index);
  if (!readString(record.name, what + " name", false, weight.name))
    return false;
  what += " ('" + weight.name + "')";
  bool q8_0 = record.dtype == TFC_MANIFEST_Q8_0;
  if (q8_0)
    weight.dtype = DType::Q8_0;
  else if (!readDType(record.dtype, what + ": dtype", weight.dtype))
    return false;
  if (record.rank < 1 || record.rank > TFC_MANIFEST_MAX_RANK)
    return fail(what + ": rank " + std::to_string(record.rank) +
                " is outside [1, " + std::to_string(TFC_MANIFEST_MAX_RANK) +
                "]");
  for (int64_t d = 0; d < TFC_MANIFEST_MAX_RANK; ++d) {
    int64_t dim = record.shape[d];
    if (d < record.rank ? dim <= 0 : dim != 0)
      return fail(what + ": shape[" + std::to_string(d) + "] is " +
                  std::to_string(dim) + " (expected " +
                  (d < record.rank ? "a positive dim" : "0 past the rank") +
                  ")");
    if (d < record.rank)
      weight.shape.push_back(dim);
  }
  if (q8_0 &&
      (weight.shape.size() != 2 || weight.shape[1] % kQ8_0BlockSize != 0))
    return fail(what +
                ": a q8_0 weight must be a matrix whose rows are "
                "whole blocks of 32, not of shape " +
                formatShape(weight.shape));
  // The scales add 2 bytes per 32 elements to the values' one byte each.
  if (!checkedVolume(weight.shape, 1, weight.numElements) ||
      !checkedVolume(weight.shape, q8_0 ? 2 : dtypeSize(weight.dtype),
                     weight.numBytes))
    return fail(what + ": shape " + formatShape(weight.shape) +
                " is too large");
  weight.numBytes = dtypeBytes(weight.dtype, weight.numElements);
  manifest.weights.push_back(std::move(weight));
  return true;
}

bool ManifestReader::read(const void *symbol) {
  if (!readHeader(static_cast<const char *>(symbol)))
    return false;
  const auto &table = *static_cast<const tfc_manifest_v4 *>(symbol);
  if (table.version != TFC_MANIFEST_VERSION) {
    error = "unsupported tfc manifest in '" + library + "': version " +
            std::to_string(table.version) +
            " (this runtime reads manifest version " +
            std::to_string(TFC_MANIFEST_VERSION) +
            "; rebuild the model with a matching tfc-compile)";
    return false;
  }
  if (!readString(table.model_type, "model_type", false, manifest.modelType) ||
      !readString(table.base_model_prefix, "base_model_prefix", true,
                  manifest.baseModelPrefix) ||
      !readDType(table.kv_dtype, "kv_dtype", manifest.kvDType))
    return false;
  struct IntField {
    const char *name;
    int64_t value;
    int64_t min;
    int64_t *field;
  };
  for (const IntField &f :
       {IntField{"vocab_size", table.vocab_size, 1, &manifest.vocabSize},
        IntField{"hidden_size", table.hidden_size, 1, &manifest.hiddenSize},
        IntField{"num_layers", table.num_layers, 0, &manifest.numLayers},
        IntField{"trained_context", table.trained_context, 0,
                 &manifest.trainedContext},
        IntField{"position_limit", table.position_limit, 0,
                 &manifest.positionLimit}}) {
    if (f.value < f.min)
      return fail(std::string(f.name) + " " + std::to_string(f.value) +
                  " is below " + std::to_string(f.min));
    *f.field = f.value;
  }
  if (manifest.positionLimit > 0 &&
      manifest.trainedContext > manifest.positionLimit)
    return fail("trained_context " + std::to_string(manifest.trainedContext) +
                " exceeds the position_limit " +
                std::to_string(manifest.positionLimit));

  if (!readCount(table.num_kv_caches, table.kv_caches, "kv_caches"))
    return false;
  for (int64_t i = 0; i < table.num_kv_caches; ++i) {
    const tfc_manifest_kv_cache_v4 &cache = table.kv_caches[i];
    if (cache.elements_per_token < 1 || cache.window < 0)
      return fail("kv_cache " + std::to_string(i) + ": elements_per_token " +
                  std::to_string(cache.elements_per_token) + ", window " +
                  std::to_string(cache.window) +
                  " (expected elements_per_token >= 1, window >= 0)");
    manifest.kvCaches.push_back({cache.elements_per_token, cache.window});
  }

  std::unordered_set<std::string> names;
  if (!readCount(table.num_weights, table.weights, "weights"))
    return false;
  for (int64_t i = 0; i < table.num_weights; ++i) {
    if (!readWeight(table.weights[i], i))
      return false;
    if (!names.insert(manifest.weights.back().name).second)
      return fail("weight " + std::to_string(i) + ": duplicate name '" +
                  manifest.weights.back().name + "'");
  }
  if (!readCount(table.num_optional, table.optional, "optional"))
    return false;
  for (int64_t i = 0; i < table.num_optional; ++i) {
    std::string name;
    if (!readString(table.optional[i], "optional " + std::to_string(i), false,
                    name))
      return false;
    if (!names.insert(name).second)
      return fail("optional " + std::to_string(i) + " '" + name +
                  "' is also a weight or listed twice");
    manifest.optional.push_back(std::move(name));
  }
  return true;
}

/// The path of the loaded object that defines `symbol`, for messages.
std::string libraryOf(const void *symbol) {
  Dl_info info;
  if (dladdr(symbol, &info) && info.dli_fname && *info.dli_fname)
    return info.dli_fname;
  return "the model library";
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

bool tfc::runtime::readManifest(const void *symbol, const std::string &library,
                                Manifest &result, std::string &error) {
  result = Manifest();
  return ManifestReader(library, result, error).read(symbol);
}

std::string tfc::runtime::formatManifest(const Manifest &manifest) {
  std::string text =
      "tfc-manifest " + std::to_string(TFC_MANIFEST_VERSION) + "\nmodel " +
      manifest.modelType + "\nvocab_size " +
      std::to_string(manifest.vocabSize) + "\nhidden_size " +
      std::to_string(manifest.hiddenSize) + "\nnum_layers " +
      std::to_string(manifest.numLayers) + "\ncontext " +
      std::to_string(manifest.trainedContext) + " " +
      std::to_string(manifest.positionLimit) + "\nbase_model_prefix " +
      (manifest.baseModelPrefix.empty() ? std::string("-")
                                        : manifest.baseModelPrefix) +
      "\nkv_dtype " + manifestDTypeName(manifest.kvDType) + "\nkv_caches " +
      std::to_string(manifest.kvCaches.size()) + "\n";
  for (const ManifestKVCache &cache : manifest.kvCaches)
    text += "kv_cache " + std::to_string(cache.elementsPerToken) + " " +
            std::to_string(cache.window) + "\n";
  text += "weights " + std::to_string(manifest.weights.size()) + "\n";
  for (const ManifestWeight &weight : manifest.weights)
    text += "weight " + weight.name + " " + manifestDTypeName(weight.dtype) +
            " " + formatShape(weight.shape) + "\n";
  for (const std::string &name : manifest.optional)
    text += "optional " + name + "\n";
  return text + "end\n";
}

namespace {
/// The library's manifest, validated once: the table is constant, so one
/// read serves the whole process.
struct LibraryManifest {
  Manifest manifest;
  std::string text;
  std::string error;
  bool ok = false;

  static const LibraryManifest &get() {
    static const LibraryManifest instance = [] {
      LibraryManifest result;
      result.ok = readManifest(&tfc_manifest, libraryOf(&tfc_manifest),
                               result.manifest, result.error);
      if (result.ok)
        result.text = formatManifest(result.manifest);
      return result;
    }();
    return instance;
  }
};
} // namespace

const Manifest *tfc::runtime::getLibraryManifest(std::string &error) {
  const LibraryManifest &library = LibraryManifest::get();
  if (!library.ok) {
    error = library.error;
    return nullptr;
  }
  return &library.manifest;
}

const char *tfc::runtime::getLibraryManifestText(std::string &error) {
  const LibraryManifest &library = LibraryManifest::get();
  if (!library.ok) {
    error = library.error;
    return nullptr;
  }
  return library.text.c_str();
}
