//===- Model.h - A model instance: arena, KV cache, entry points -*- C++ -*-=//

#ifndef TFC_RUNTIME_MODEL_H
#define TFC_RUNTIME_MODEL_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tfc::runtime {

struct Manifest;

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
  /// memory cannot be had.
  bool allocate(size_t bytes, std::string &error);
  void zero();
  unsigned char *data() const { return static_cast<unsigned char *>(base); }
  size_t size() const { return length; }

private:
  void release();
  void *base = nullptr;
  size_t length = 0;
};

/// Sets the OpenMP team size used by later calls (n <= 0: all processors).
void setThreadCount(int n);

class Model {
public:
  /// Null with `error` set if the manifest is malformed or memory is short.
  static std::unique_ptr<Model> create(int64_t maxContext, std::string &error);

  /// Checks and binds a checkpoint; empties the KV cache on success and
  /// changes nothing on failure.
  bool bindWeights(const std::string &path, std::string &error);
  bool prefill(const int64_t *tokens, int64_t n, std::string &error);
  /// A prefill that computes the logits of the last position only.
  bool prefillLast(const int64_t *tokens, int64_t n, std::string &error);
  bool decode(int64_t token, std::string &error);
  void reset();

  /// Logits of the last successful call, or null (rows = 0).
  const float *getLogits(int64_t &rows) const;
  int64_t getPosition() const { return position; }
  int64_t getMaxContext() const { return maxContext; }
  /// Bytes of all layers' KV caches (rings for sliding-window layers).
  int64_t getKVCacheBytes() const { return kvCacheFloats * sizeof(float); }
  const Manifest &getManifest() const { return *manifest; }

private:
  Model(const Manifest &manifest, int64_t maxContext)
      : manifest(&manifest), maxContext(maxContext) {}
  enum class Entry { Prefill, PrefillLast, Decode };
  bool run(Entry entry, const int64_t *tokens, int64_t n, std::string &error);

  const Manifest *manifest;
  int64_t maxContext;
  int64_t kvCacheFloats = 0;
  int64_t position = 0;
  int64_t logitsRows = 0;
  bool bound = false;
  ZeroedBuffer arena;
  ZeroedBuffer kvCache;
  ZeroedBuffer logits;
};

} // namespace tfc::runtime

#endif // TFC_RUNTIME_MODEL_H
