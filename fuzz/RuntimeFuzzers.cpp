//===- RuntimeFuzzers.cpp - libFuzzer targets of the runtime's parsers ----===//
//
// The untrusted inputs a model .so reads (lib/Runtime): a safetensors file
// (header JSON, dtypes, shapes, data offsets against the file size), the JSON
// of headers and index files, and the manifest table the compiler embeds
// (checked like any input: a .so may be old or foreign). One source, one
// target per TFC_FUZZ_* definition. A crash or sanitizer report is a finding;
// so is a success whose result breaks the reader's promises.
//
//===----------------------------------------------------------------------===//
#include "JSON.h"
#include "Manifest.h"
#include "Safetensors.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <string_view>

using namespace tfc::runtime;

// Manifest.cpp reads the generated library's manifest; a fuzzer has none.
extern "C" const tfc_manifest_v4 tfc_manifest = {};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string error;
#if defined(TFC_FUZZ_SAFETENSORS)
  // The file as mapped: every tensor must lie inside it.
  std::unique_ptr<SafetensorsFile> file =
      SafetensorsFile::parse("fuzz.safetensors", data, size, error);
  if (file)
    for (const TensorInfo &t : file->getTensors())
      if (t.numBytes < 0 || t.data < data ||
          static_cast<size_t>(t.data - data) > size ||
          static_cast<size_t>(t.numBytes) >
              size - static_cast<size_t>(t.data - data))
        std::abort();
#elif defined(TFC_FUZZ_JSON)
  JSONValue value;
  parseJSON(std::string_view(reinterpret_cast<const char *>(data), size),
            value, error);
#elif defined(TFC_FUZZ_MANIFEST)
  // A valid table (an empty input keeps it) whose fields, records and
  // strings the input replaces one by one. Pointers and the record counts
  // stay consistent, as a linker makes them: a count the input changes is
  // either the records' number or out of the reader's bounds.
  FuzzedDataProvider in(data, size);
  std::deque<std::string> strings; // stable c_str()s
  auto number = [&](int64_t keep) -> int64_t {
    if (!in.ConsumeBool())
      return keep;
    return in.ConsumeBool() ? in.ConsumeIntegralInRange<int64_t>(-2, 64)
                            : in.ConsumeIntegral<int64_t>();
  };
  auto text = [&](const char *keep) -> const char * {
    if (!in.ConsumeBool())
      return keep;
    if (in.ConsumeBool())
      return nullptr;
    strings.push_back(in.ConsumeRandomLengthString(64));
    return strings.back().c_str();
  };
  auto count = [&](int64_t records) -> int64_t {
    if (!in.ConsumeBool())
      return records;
    return in.ConsumeBool()
               ? -1 - in.ConsumeIntegral<uint16_t>()
               : (int64_t(1) << 40) + in.ConsumeIntegral<uint16_t>();
  };
  auto records = [&](size_t keep) {
    return in.ConsumeBool() ? in.ConsumeIntegralInRange<size_t>(0, 8) : keep;
  };
  tfc_manifest_v4 table = {};
  std::memcpy(table.magic, TFC_MANIFEST_MAGIC, sizeof(table.magic));
  if (in.ConsumeBool())
    in.ConsumeData(table.magic, sizeof(table.magic));
  table.version = number(TFC_MANIFEST_VERSION);
  table.model_type = text("llama");
  table.vocab_size = number(8);
  table.hidden_size = number(4);
  table.num_layers = number(2);
  table.trained_context = number(0);
  table.position_limit = number(0);
  table.base_model_prefix = text("model.");
  table.kv_dtype = number(TFC_MANIFEST_F32);
  std::vector<tfc_manifest_kv_cache_v4> caches(records(2));
  for (tfc_manifest_kv_cache_v4 &cache : caches)
    cache = {number(4), number(0)};
  table.num_kv_caches = count(caches.size());
  table.kv_caches = caches.empty() ? nullptr : caches.data();
  std::vector<tfc_manifest_weight_v4> weights(records(3));
  for (size_t i = 0; i < weights.size(); ++i) {
    tfc_manifest_weight_v4 &w = weights[i];
    strings.push_back("model.w" + std::to_string(i));
    w = {
        text(strings.back().c_str()), number(TFC_MANIFEST_BF16), number(2), {}};
    for (int64_t d = 0; d < TFC_MANIFEST_MAX_RANK; ++d)
      w.shape[d] = number(d < 2 ? 8 : 0);
  }
  table.num_weights = count(weights.size());
  table.weights = weights.empty() ? nullptr : weights.data();
  std::vector<const char *> optional(records(1));
  for (const char *&name : optional)
    name = text("lm_head.weight");
  table.num_optional = count(optional.size());
  table.optional = optional.empty() ? nullptr : optional.data();

  Manifest manifest;
  if (readManifest(&table, "fuzz.so", manifest, error)) {
    formatManifest(manifest);
    for (const ManifestWeight &weight : manifest.weights)
      if (weight.numBytes <= 0 || weight.shape.empty())
        std::abort();
    // A valid manifest sizes KV caches: every context must either lay out
    // within int64_t or be refused.
    std::vector<int64_t> starts;
    int64_t bytes = 0;
    for (int64_t context : {int64_t(1), manifest.defaultMaxContext(),
                            int64_t(1) << 20, INT64_MAX})
      if (manifest.kvCacheLayout(context, starts, bytes) && bytes < 0)
        std::abort();
  }
#else
#error "define one of TFC_FUZZ_SAFETENSORS, TFC_FUZZ_JSON, TFC_FUZZ_MANIFEST"
#endif
  return 0;
}
