//===- Manifest.h - The weight manifest of a compiled model -----*- C++ -*-===//
//
// The generated object embeds `tfc_manifest` (docs/ABI.md): model sizes and
// every weight the code reads, with its shape and arena offset. The runtime
// checks checkpoints against it and lays the arena out by it.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_MANIFEST_H
#define TFC_RUNTIME_MANIFEST_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tfc::runtime {

struct ManifestWeight {
  std::string name;
  /// Element type in the arena; version 1 has only "f32".
  std::string dtype;
  std::vector<int64_t> shape;
  int64_t offset = 0;
  int64_t numElements = 0;
  int64_t numBytes = 0;
};

/// One layer's KV cache: a row of `floatsPerToken` floats per position it
/// keeps; a ring of `min(window, max_context)` rows for a sliding-window
/// layer (`window > 0`), `max_context` rows otherwise.
struct ManifestKVCache {
  int64_t floatsPerToken = 0;
  int64_t window = 0;

  int64_t rows(int64_t maxContext) const {
    return window > 0 && window < maxContext ? window : maxContext;
  }
};

struct Manifest {
  std::string modelType;
  int64_t vocabSize = 0;
  int64_t hiddenSize = 0;
  int64_t numLayers = 0;
  int64_t arenaBytes = 0;
  std::vector<ManifestKVCache> kvCaches;
  std::vector<ManifestWeight> weights;

  /// Floats of all layers' caches for `maxContext` positions, laid out one
  /// layer after another; false on overflow.
  bool kvCacheFloats(int64_t maxContext, int64_t &floats) const;
};

/// Parses and validates manifest text; on failure `error` names the line.
bool parseManifest(std::string_view text, Manifest &result, std::string &error);

/// The manifest of the library this runtime is linked into, parsed on first
/// use (thread-safe). Null, with `error` set, when it is malformed.
const Manifest *getLibraryManifest(std::string &error);

/// The raw `tfc_manifest` text of the library.
const char *getLibraryManifestText();

} // namespace tfc::runtime

#endif // TFC_RUNTIME_MANIFEST_H
