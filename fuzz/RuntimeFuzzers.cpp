//===- RuntimeFuzzers.cpp - libFuzzer targets of the runtime's parsers ----===//
//
// The untrusted inputs a model .so reads (lib/Runtime): a safetensors file
// (header JSON, dtypes, shapes, data offsets against the file size), the JSON
// of headers and index files, and the manifest text the compiler embeds
// (checked like any input: a .so may be old or foreign). One source, one
// target per TFC_FUZZ_* definition. A crash or sanitizer report is a finding;
// so is a success whose result breaks the parser's promises.
//
//===----------------------------------------------------------------------===//
#include "JSON.h"
#include "Manifest.h"
#include "Safetensors.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

using namespace tfc::runtime;

// Manifest.cpp reads the generated library's manifest; a fuzzer has none.
extern "C" const char tfc_manifest[] = "";

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
  Manifest manifest;
  if (parseManifest(std::string_view(reinterpret_cast<const char *>(data), size),
                    manifest, error)) {
    // A parsed manifest sizes KV caches: every context must either lay out
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
