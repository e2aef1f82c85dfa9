//===- Manifest.h - The weight manifest of a compiled model -----*- C++ -*-===//
//
// The generated object embeds `tfc_manifest`, a constant table of
// include/tfc/Runtime/ManifestABI.h (docs/ABI.md, version 4): model sizes,
// context bounds, the KV caches and every weight the code reads, with its
// element type and shape. The runtime validates it once (a library may be
// old or foreign) into a Manifest, checks checkpoints against that, builds
// the weight offsets table in its order and lays the KV cache out by it.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_MANIFEST_H
#define TFC_RUNTIME_MANIFEST_H

#include "DType.h"

#include "tfc/Runtime/ManifestABI.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tfc::runtime {

/// The context length a session gets when its creator asks for none: the
/// trained length, but at most this many positions, so that a default
/// session of a 128k-context model does not reserve a 128k-row KV cache.
constexpr int64_t kDefaultMaxContext = 4096;

struct ManifestWeight {
  std::string name;
  /// Element type the generated code reads: F32, BF16, F16 or Q8_0.
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  int64_t numElements = 0;
  int64_t numBytes = 0;
};

/// One layer's KV cache: a row of `elementsPerToken` kv_dtype elements per
/// position it keeps; for a sliding-window layer (`window > 0`) a ring of
/// `min(2 * window - 1, max_context)` rows, `max_context` rows otherwise. A
/// call appends its tokens before attending over [p - window + 1, p], so a
/// ring of R rows takes at most R - window + 1 = window tokens per call.
struct ManifestKVCache {
  int64_t elementsPerToken = 0;
  int64_t window = 0;

  bool isRing(int64_t maxContext) const {
    return window > 0 && window <= maxContext / 2;
  }
  int64_t rows(int64_t maxContext) const {
    return isRing(maxContext) ? 2 * window - 1 : maxContext;
  }
};

struct Manifest {
  std::string modelType;
  int64_t vocabSize = 0;
  int64_t hiddenSize = 0;
  int64_t numLayers = 0;
  /// The config's trained context length; 0: unknown.
  int64_t trainedContext = 0;
  /// Most positions the model can address (a learned position table's
  /// rows); 0: no limit.
  int64_t positionLimit = 0;
  /// "" when the family has none.
  std::string baseModelPrefix;
  DType kvDType = DType::F32;
  std::vector<ManifestKVCache> kvCaches;
  std::vector<ManifestWeight> weights;
  /// Tensors a checkpoint may hold that the model does not read.
  std::vector<std::string> optional;

  /// Byte offset of each cache in the KV buffer for `maxContext` positions
  /// (each a multiple of 64, ABI.md) and the buffer's size; false on
  /// overflow.
  bool kvCacheLayout(int64_t maxContext, std::vector<int64_t> &starts,
                     int64_t &totalBytes) const;
  /// The max_context of a session created with max_context <= 0.
  int64_t defaultMaxContext() const;
  /// Most tokens one call of the generated code may take in a session of
  /// `maxContext` positions: the smallest ring's window; 0: no limit.
  int64_t maxTokensPerCall(int64_t maxContext) const {
    int64_t limit = 0;
    for (const ManifestKVCache &cache : kvCaches)
      if (cache.isRing(maxContext) && (limit == 0 || cache.window < limit))
        limit = cache.window;
    return limit;
  }
};

/// Validates the table `symbol` points at (the bytes of a `tfc_manifest`
/// of unknown origin) and copies it into `result`. On failure `error` names
/// `library` and the field or record.
bool readManifest(const void *symbol, const std::string &library,
                  Manifest &result, std::string &error);

/// The manifest as text, one record a line (docs/ABI.md): for people and
/// logs, never read back.
std::string formatManifest(const Manifest &manifest);

/// The manifest of the library this runtime is linked into, validated on
/// first use (thread-safe). Null, with `error` set, when it is malformed.
const Manifest *getLibraryManifest(std::string &error);

/// formatManifest of the library's manifest; null, with `error` set, when
/// it is malformed.
const char *getLibraryManifestText(std::string &error);

} // namespace tfc::runtime

#endif // TFC_RUNTIME_MANIFEST_H
