//===- Session.h - One sequence: KV cache, position, logits -----*- C++ -*-===//
//
// A session runs the generated entry points on shared, read-only Weights.
// It owns everything a call writes, so sessions on one Weights may run in
// different threads at once.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_SESSION_H
#define TFC_RUNTIME_SESSION_H

#include "CUDA.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tfc::runtime {

struct Manifest;
class Weights;

/// Zero-initialised, page-aligned (so 64-byte aligned) anonymous memory.
/// Pages are committed on first touch, and zero() hands them back to the
/// kernel instead of writing zeros: an empty cache costs no memory traffic.
class ZeroedBuffer {
public:
  ZeroedBuffer() = default;
  ~ZeroedBuffer();
  ZeroedBuffer(const ZeroedBuffer &) = delete;
  ZeroedBuffer &operator=(const ZeroedBuffer &) = delete;

  /// Replaces the contents by `bytes` zero bytes; false with `error` if the
  /// memory cannot be had. The bytes end (rounded up to 64) at an
  /// inaccessible guard page, and one precedes them: generated code that
  /// strays past a KV cache or the logits faults at once instead of
  /// corrupting memory (docs/reliability.md).
  bool allocate(size_t bytes, std::string &error);
  void zero();
  unsigned char *data() const { return static_cast<unsigned char *>(base); }
  size_t size() const { return length; }

private:
  void release();
  void *base = nullptr;
  size_t length = 0;
  /// The whole mapping: guard page, accessible pages, guard page.
  void *mapping = nullptr;
  size_t mappingLength = 0;
};

/// Sets the OpenMP team size used by later calls (n <= 0: all processors).
void setThreadCount(int n);
/// Applies that team size to the calling thread (before each call into the
/// generated code: OpenMP's setting is per thread).
void applyThreadCount();

/// Hands the pages of [data, data + bytes) back to the kernel, so that they
/// read as zero (the range must lie in private anonymous memory; parts not
/// on whole pages are written with zeros).
void zeroPages(unsigned char *data, size_t bytes);

class Session {
public:
  /// A session of `maxContext` positions (<= 0: the manifest's default) on
  /// `weights` (null: none yet, see setWeights). Null with `error` set if
  /// the manifest is malformed, the context is above the model's position
  /// limit, or memory is short.
  /// With `kvCache`, the session's KV cache is that zeroed memory of
  /// getKVCacheBytes() bytes, owned by the caller (a SessionBatch's slot),
  /// instead of its own.
  static std::unique_ptr<Session> create(std::shared_ptr<const Weights> weights,
                                         int64_t maxContext,
                                         std::string &error,
                                         unsigned char *kvCache = nullptr);

  /// Runs on `weights` from now on; empties the KV cache.
  void setWeights(std::shared_ptr<const Weights> weights);
  bool prefill(const int64_t *tokens, int64_t n, std::string &error);
  /// A prefill that computes the logits of the last position only.
  bool prefillLast(const int64_t *tokens, int64_t n, std::string &error);
  bool decode(int64_t token, std::string &error);
  void reset();
  /// Keeps the first `n` positions of the cache (position n), as if only
  /// they had been run. Fails, changing nothing, when n is outside
  /// [0, position] or a sliding-window ring has already overwritten a row
  /// that positions from n on would attend to.
  bool truncate(int64_t n, std::string &error);

  /// Whether decode(token) would run; `error` says why not.
  bool canDecode(int64_t token, std::string &error) const {
    return check(Entry::Decode, &token, 1, error);
  }
  /// Records a decode step of `token`'s row computed for this session by a
  /// batched call (SessionBatch) that canDecode allowed: the position
  /// advances and `logits` (one row) become the session's.
  void finishBatchedDecode(const float *logits);

  /// Logits of the last successful call, or null (rows = 0).
  const float *getLogits(int64_t &rows) const;
  int64_t getPosition() const { return position; }
  int64_t getMaxContext() const { return maxContext; }
  /// Bytes of the KV buffer (ABI.md layout, rings for sliding windows).
  int64_t getKVCacheBytes() const { return kvCacheBytes; }
  /// Bytes this session allocated: the KV buffer and the logits.
  int64_t getBytesAllocated() const {
    return kvCacheBytes + static_cast<int64_t>(logits.size());
  }
  /// The manifest's KV cache layout for `maxContext` positions: the bytes
  /// of one session's caches; false if they overflow int64_t.
  static bool kvCacheBytesFor(const Manifest &manifest, int64_t maxContext,
                              int64_t &bytes);
  /// Whether max_context exceeds the model's trained context length.
  bool isBeyondTrainedContext() const;
  const Manifest &getManifest() const { return *manifest; }
  const std::shared_ptr<const Weights> &getWeights() const { return weights; }

private:
  Session(const Manifest &manifest, int64_t maxContext)
      : manifest(&manifest), maxContext(maxContext) {}
  enum class Entry { Prefill, PrefillLast, Decode };
  /// The checks of a call, before anything changes.
  bool check(Entry entry, const int64_t *tokens, int64_t n,
             std::string &error) const;
  bool run(Entry entry, const int64_t *tokens, int64_t n, std::string &error);

  const Manifest *manifest;
  std::shared_ptr<const Weights> weights;
  int64_t maxContext;
  int64_t kvCacheBytes = 0;
  int64_t position = 0;
  int64_t logitsRows = 0;
  /// The KV cache: ownCache's (deviceCache's), or a SessionBatch's slot.
  unsigned char *kvData = nullptr;
  ZeroedBuffer ownCache;
  ZeroedBuffer logits;
  /// A --target=cuda library: the cache and the logits the generated code
  /// writes are in device memory, its tokens in mapped host memory, and the
  /// logits are copied back after each call.
  bool onDevice = false;
  cuda::DeviceBuffer deviceCache, deviceLogits;
  cuda::MappedBuffer deviceTokens;
};

} // namespace tfc::runtime

#endif // TFC_RUNTIME_SESSION_H
