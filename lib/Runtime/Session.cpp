//===- Session.cpp - One sequence: KV cache, position, logits -------------===//

#include "Session.h"
#include "GeneratedABI.h"
#include "Manifest.h"
#include "Weights.h"

#include "tfc/Runtime/tfc.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <omp.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace tfc::runtime;

ZeroedBuffer::~ZeroedBuffer() { release(); }

void ZeroedBuffer::release() {
  if (mapping)
    munmap(mapping, mappingLength);
  mapping = base = nullptr;
  mappingLength = length = 0;
}

bool ZeroedBuffer::allocate(size_t bytes, std::string &error) {
  release();
  auto fail = [&] {
    error = "cannot allocate " + std::to_string(bytes) +
            " bytes: " + std::strerror(errno);
    return false;
  };
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  // mmap rejects length 0; a valid pointer keeps the descriptors uniform.
  size_t used = ((bytes ? bytes : 64) + 63) & ~size_t(63);
  if (used < bytes || used > SIZE_MAX - 3 * page)
    return fail();
  size_t body = (used + page - 1) / page * page;
  size_t total = body + 2 * page;
  void *p = mmap(nullptr, total, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return fail();
  auto *first = static_cast<unsigned char *>(p) + page;
  if (mprotect(first, body, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, total);
    return fail();
  }
  mapping = p;
  mappingLength = total;
  // The bytes end where the trailing guard page starts (64-aligned still).
  base = first + (body - used);
  length = bytes ? bytes : 64;
  return true;
}

void ZeroedBuffer::zero() {
  if (base)
    zeroPages(data(), length);
}

void tfc::runtime::zeroPages(unsigned char *data, size_t bytes) {
  // Private anonymous pages read as zero after MADV_DONTNEED (madvise(2)).
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t begin = reinterpret_cast<uintptr_t>(data);
  uintptr_t end = begin + bytes;
  uintptr_t first = (begin + page - 1) & ~(page - 1), last = end & ~(page - 1);
  if (first >= last ||
      madvise(reinterpret_cast<void *>(first), last - first, MADV_DONTNEED) !=
          0) {
    std::memset(data, 0, bytes);
    return;
  }
  std::memset(data, 0, first - begin);
  std::memset(reinterpret_cast<void *>(last), 0, end - last);
}

// A --target=cuda library runs no OpenMP and does not link libomp: there
// these are null, and the thread count is kept for nothing.
#pragma weak omp_get_thread_limit
#pragma weak omp_get_num_procs
#pragma weak omp_set_num_threads

// 0 until tfc_model_set_threads is called: OpenMP's own default applies.
static std::atomic<int> requestedThreads{0};

void tfc::runtime::setThreadCount(int n) {
  if (!omp_set_num_threads)
    return;
  // tfc.h: clamped, never refused (the function returns nothing). libomp
  // aborts the process (OMP: Error #34) when it cannot create the team.
  int limit = std::min(TFC_MAX_THREADS, std::max(1, omp_get_thread_limit()));
  int threads = n > 0 ? n : omp_get_num_procs();
  requestedThreads.store(std::clamp(threads, 1, limit),
                         std::memory_order_relaxed);
}

void tfc::runtime::applyThreadCount() {
  int threads = requestedThreads.load(std::memory_order_relaxed);
  if (threads && omp_set_num_threads)
    omp_set_num_threads(threads);
}

bool Session::kvCacheBytesFor(const Manifest &manifest, int64_t maxContext,
                              int64_t &bytes) {
  std::vector<int64_t> starts;
  return manifest.kvCacheLayout(maxContext, starts, bytes);
}

std::unique_ptr<Session>
Session::create(std::shared_ptr<const Weights> weights, int64_t maxContext,
                std::string &error, unsigned char *kvCache) {
  const Manifest *manifest = getLibraryManifest(error);
  if (!manifest)
    return nullptr;
  if (maxContext <= 0)
    maxContext = manifest->defaultMaxContext();
  // ABI.md: the generated code may index a learned position table by pos,
  // so a longer context would read past it.
  if (manifest->positionLimit > 0 && maxContext > manifest->positionLimit) {
    error = "max_context " + std::to_string(maxContext) +
            " is more than the model can address: the model's learned "
            "position table has " +
            std::to_string(manifest->positionLimit) +
            " rows (n_positions), so max_context must be at most " +
            std::to_string(manifest->positionLimit);
    return nullptr;
  }
  std::unique_ptr<Session> session(new Session(*manifest, maxContext));
  session->weights = std::move(weights);
  if (!kvCacheBytesFor(*manifest, maxContext, session->kvCacheBytes)) {
    error =
        "KV cache of " + std::to_string(maxContext) + " positions is too large";
    return nullptr;
  }
  std::string allocError;
  session->onDevice = cuda::isCUDALibrary();
  if (kvCache) {
    session->kvData = kvCache;
  } else if (session->onDevice) {
    if (!session->deviceCache.allocate(
            static_cast<size_t>(session->kvCacheBytes), allocError)) {
      error = "KV cache for max_context " + std::to_string(maxContext) +
              " on the GPU: " + allocError;
      return nullptr;
    }
    session->kvData = session->deviceCache.data();
  } else if (session->ownCache.allocate(
                 static_cast<size_t>(session->kvCacheBytes), allocError)) {
    session->kvData = session->ownCache.data();
  } else {
    error = "KV cache for max_context " + std::to_string(maxContext) + ": " +
            allocError;
    return nullptr;
  }
  // One row, what decode and prefill_last need; prefill grows it.
  if (!session->logits.allocate(
          static_cast<size_t>(manifest->vocabSize) * sizeof(float),
          allocError)) {
    error = "logits: " + allocError;
    return nullptr;
  }
  return session;
}

void Session::setWeights(std::shared_ptr<const Weights> newWeights) {
  weights = std::move(newWeights);
  // The cache holds keys and values computed with the old weights.
  reset();
}

bool Session::isBeyondTrainedContext() const {
  return manifest->trainedContext > 0 && maxContext > manifest->trainedContext;
}

bool Session::check(Entry entry, const int64_t *tokens, int64_t n,
                    std::string &error) const {
  bool isDecode = entry == Entry::Decode;
  const char *what = isDecode ? "decode" : "prefill";
  if (!weights) {
    error = std::string(what) +
            ": no weights bound (call tfc_model_bind_weights first)";
    return false;
  }
  if (n <= 0) {
    error = std::string(what) + ": needs at least one token, got " +
            std::to_string(n);
    return false;
  }
  if (!tokens) {
    error = std::string(what) + ": tokens is NULL";
    return false;
  }
  for (int64_t i = 0; i < n; ++i)
    if (tokens[i] < 0 || tokens[i] >= manifest->vocabSize) {
      error = std::string(what) + ": token id " + std::to_string(tokens[i]) +
              (isDecode ? "" : " at index " + std::to_string(i)) +
              " is out of range [0, " + std::to_string(manifest->vocabSize) +
              ")";
      return false;
    }
  if (n > maxContext - position) {
    error = isDecode ? "decode: the KV cache is full (position " +
                           std::to_string(position) + " = max_context " +
                           std::to_string(maxContext) + ")"
                     : "prefill: position " + std::to_string(position) + " + " +
                           std::to_string(n) + " tokens exceeds max_context " +
                           std::to_string(maxContext);
    return false;
  }
  return true;
}

bool Session::run(Entry entry, const int64_t *tokens, int64_t n,
                  std::string &error) {
  if (!check(entry, tokens, n, error))
    return false;
  const char *what = entry == Entry::Decode ? "decode" : "prefill";
  int64_t rows = entry == Entry::Prefill ? n : 1;
  // n <= max_context, whose KV cache exists; the product is still checked
  // (a huge max_context may map lazily).
  int64_t logitsElements = 0;
  if (__builtin_mul_overflow(rows, manifest->vocabSize, &logitsElements) ||
      logitsElements > PTRDIFF_MAX / static_cast<int64_t>(sizeof(float))) {
    error = std::string(what) + ": logits of " + std::to_string(rows) +
            " rows are too large";
    return false;
  }
  size_t logitsBytes = static_cast<size_t>(logitsElements) * sizeof(float);
  if (logits.size() < logitsBytes && !logits.allocate(logitsBytes, error)) {
    logitsRows = 0; // allocate() dropped the old logits
    error = std::string(what) + ": logits: " + error;
    return false;
  }

  applyThreadCount();
  // The callee only reads the weights and the offsets (ABI.md).
  MemRef1DI8 weightsRef =
      makeMemRef1D(reinterpret_cast<int8_t *>(weights->getCallRegion()),
                   weights->getRegionBytes());
  MemRef1DI64 offsetsRef =
      makeMemRef1D(weights->getCallOffsets(),
                   static_cast<int64_t>(weights->getOffsets().size()));
  MemRef1DI8 kvRef =
      makeMemRef1D(reinterpret_cast<int8_t *>(kvData), kvCacheBytes);
  auto *logitsData = reinterpret_cast<float *>(logits.data());
  if (onDevice) {
    size_t tokenBytes = static_cast<size_t>(n) * sizeof(int64_t);
    if ((deviceLogits.size() < logitsBytes &&
         !deviceLogits.allocate(logitsBytes, error)) ||
        !deviceTokens.reserve(tokenBytes, error)) {
      error = std::string(what) + ": " + error;
      return false;
    }
    std::memcpy(deviceTokens.data(), tokens, tokenBytes);
    tokens = reinterpret_cast<const int64_t *>(deviceTokens.data());
    logitsData = reinterpret_cast<float *>(deviceLogits.data());
  }
  // A sliding-window ring keeps its window only over calls of at most
  // `window` tokens (ABI.md): a longer prefill runs as chunks, each writing
  // its rows of the logits (prefill_last: the last chunk's one row).
  int64_t chunk = manifest->maxTokensPerCall(maxContext);
  if (chunk == 0)
    chunk = n;
  auto calls = [&] {
    for (int64_t done = 0; done < n; done += chunk) {
      int64_t count = std::min(chunk, n - done);
      // The callee only reads the tokens.
      MemRef1DI64 tokensRef =
          makeMemRef1D(const_cast<int64_t *>(tokens + done), count);
      float *out = entry == Entry::Prefill
                       ? logitsData + done * manifest->vocabSize
                       : logitsData;
      MemRef2DF32 logitsRef = {
          out,
          out,
          0,
          {entry == Entry::Prefill ? count : 1, manifest->vocabSize},
          {manifest->vocabSize, 1}};
      int64_t at = position + done;
      switch (entry) {
      case Entry::Prefill:
        _mlir_ciface_tfc_prefill(&weightsRef, &offsetsRef, &kvRef, &tokensRef,
                                 at, maxContext, &logitsRef);
        break;
      case Entry::PrefillLast:
        _mlir_ciface_tfc_prefill_last(&weightsRef, &offsetsRef, &kvRef,
                                      &tokensRef, at, maxContext, &logitsRef);
        break;
      case Entry::Decode:
        _mlir_ciface_tfc_decode(&weightsRef, &offsetsRef, &kvRef, &tokensRef,
                                at, maxContext, &logitsRef);
        break;
      }
    }
  };
  if (!onDevice) {
    calls();
  } else if (!cuda::run(calls, error) ||
             !cuda::copyToHost(logits.data(), logitsData, logitsBytes, error)) {
    // The cache may hold some of the rows: the session starts over.
    reset();
    error = std::string(what) + " on the GPU: " + error +
            " (the session was reset)";
    return false;
  }
  position += n;
  logitsRows = rows;
  return true;
}

bool Session::prefill(const int64_t *tokens, int64_t n, std::string &error) {
  return run(Entry::Prefill, tokens, n, error);
}

bool Session::prefillLast(const int64_t *tokens, int64_t n, std::string &error) {
  return run(Entry::PrefillLast, tokens, n, error);
}

bool Session::decode(int64_t token, std::string &error) {
  return run(Entry::Decode, &token, 1, error);
}

void Session::finishBatchedDecode(const float *row) {
  std::memcpy(logits.data(), row,
              static_cast<size_t>(manifest->vocabSize) * sizeof(float));
  position += 1;
  logitsRows = 1;
}

void Session::reset() {
  std::string error;
  if (!onDevice)
    zeroPages(kvData, static_cast<size_t>(kvCacheBytes));
  else if (!cuda::zeroDevice(kvData, static_cast<size_t>(kvCacheBytes), error))
    // The next call on the GPU reports the (sticky) failure too.
    std::fprintf(stderr, "tfc: resetting a KV cache on the GPU: %s\n",
                 error.c_str());
  position = 0;
  logitsRows = 0;
}

bool Session::truncate(int64_t n, std::string &error) {
  if (n < 0 || n > position) {
    error = "truncate: position " + std::to_string(n) +
            " is outside [0, " + std::to_string(position) + "]";
    return false;
  }
  // A ring of R rows that has wrapped (position > R) holds only positions
  // [position - R, position); a step at n reads back to n - window + 1, so
  // it can rewind by R - window + 1 (= window) positions at most.
  for (size_t layer = 0; layer < manifest->kvCaches.size(); ++layer) {
    const ManifestKVCache &cache = manifest->kvCaches[layer];
    int64_t rows = cache.rows(maxContext);
    if (position > rows && n - cache.window + 1 < position - rows) {
      error = "truncate: layer " + std::to_string(layer) +
              "'s sliding-window ring (" + std::to_string(rows) +
              " rows) has overwritten positions before " +
              std::to_string(position - rows) + " that position " +
              std::to_string(n) + " attends to";
      return false;
    }
  }
  // Rows past n read as they would in a session that only ran n positions
  // (zero, ABI.md); a wrapped ring's rows still hold older positions.
  std::vector<int64_t> starts;
  int64_t totalBytes;
  manifest->kvCacheLayout(maxContext, starts, totalBytes);
  int64_t elementBytes = dtypeSize(manifest->kvDType);
  for (size_t layer = 0; layer < manifest->kvCaches.size(); ++layer) {
    const ManifestKVCache &cache = manifest->kvCaches[layer];
    if (position > cache.rows(maxContext))
      continue;
    int64_t rowBytes = cache.elementsPerToken * elementBytes;
    unsigned char *rows = kvData + starts[layer] + n * rowBytes;
    size_t bytes = static_cast<size_t>((position - n) * rowBytes);
    if (!onDevice) {
      std::memset(rows, 0, bytes);
    } else if (!cuda::zeroDevice(rows, bytes, error)) {
      error = "truncate: " + error;
      return false;
    }
  }
  position = n;
  logitsRows = 0;
  return true;
}

const float *Session::getLogits(int64_t &rows) const {
  rows = logitsRows;
  return logitsRows ? reinterpret_cast<const float *>(logits.data()) : nullptr;
}
