//===- SessionBatch.cpp - Sessions decoded together -----------------------===//

#include "SessionBatch.h"
#include "GeneratedABI.h"
#include "Manifest.h"
#include "Weights.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

using namespace tfc::runtime;

std::unique_ptr<SessionBatch>
SessionBatch::create(std::shared_ptr<const Weights> weights, int64_t count,
                     int64_t maxContext, std::string &error) {
  if (count < 1 || count > kMaxSessions) {
    error = "a batch holds 1 to " + std::to_string(kMaxSessions) +
            " sessions, not " + std::to_string(count);
    return nullptr;
  }
  const Manifest *manifest = getLibraryManifest(error);
  if (!manifest)
    return nullptr;
  if (maxContext <= 0)
    maxContext = manifest->defaultMaxContext();
  int64_t cacheBytes = 0;
  if (!Session::kvCacheBytesFor(*manifest, maxContext, cacheBytes)) {
    error =
        "KV cache of " + std::to_string(maxContext) + " positions is too large";
    return nullptr;
  }
  // Each slot on whole pages, so that a reset hands its pages back, and a
  // guard page after it: a stray write faults instead of reaching the next
  // session's cache.
  const int64_t page = sysconf(_SC_PAGESIZE);
  int64_t stride = (cacheBytes + page - 1) / page * page + page, poolBytes;
  if (__builtin_mul_overflow(stride, count, &poolBytes)) {
    error = std::to_string(count) + " KV caches of " +
            std::to_string(cacheBytes) + " bytes are too large";
    return nullptr;
  }
  std::unique_ptr<SessionBatch> batch(new SessionBatch());
  batch->weights = weights;
  batch->stride = stride;
  std::string allocError;
  batch->onDevice = cuda::isCUDALibrary();
  if (batch->onDevice
          ? !batch->devicePool.allocate(static_cast<size_t>(poolBytes),
                                        allocError)
          : !batch->pool.allocate(static_cast<size_t>(poolBytes), allocError)) {
    error = "KV caches of " + std::to_string(count) + " sessions" +
            (batch->onDevice ? " on the GPU: " : ": ") + allocError;
    return nullptr;
  }
  unsigned char *base =
      batch->onDevice ? batch->devicePool.data() : batch->pool.data();
  for (int64_t i = 0; i < count; ++i) {
    unsigned char *slot = base + i * stride;
    // Device memory has no guard pages; the slots keep the host layout.
    if (!batch->onDevice &&
        mprotect(slot + stride - page, static_cast<size_t>(page), PROT_NONE) !=
            0) {
      error = std::string("KV cache guard page: ") + std::strerror(errno);
      return nullptr;
    }
    std::unique_ptr<Session> session =
        Session::create(weights, maxContext, error, slot);
    if (!session)
      return nullptr;
    batch->sessions.push_back(std::move(session));
  }
  return batch;
}

bool SessionBatch::decode(const int64_t *indices, const int64_t *tokens,
                          int64_t n, std::string &error) {
  if (n < 1 || n > size()) {
    error = "n is " + std::to_string(n) + "; a step runs 1 to " +
            std::to_string(size()) + " sessions (the batch's size)";
    return false;
  }
  if (!indices || !tokens) {
    error = std::string(indices ? "tokens" : "sessions") + " is NULL";
    return false;
  }
  std::vector<bool> seen(static_cast<size_t>(size()));
  std::vector<int64_t> positions(n), offsets(n);
  for (int64_t j = 0; j < n; ++j) {
    int64_t i = indices[j];
    if (i < 0 || i >= size()) {
      error = "sessions[" + std::to_string(j) + "] = " + std::to_string(i) +
              " is out of range [0, " + std::to_string(size()) + ")";
      return false;
    }
    if (seen[i]) {
      error = "session " + std::to_string(i) +
              " is given twice (a session runs one token per step)";
      return false;
    }
    seen[i] = true;
    std::string why;
    if (!sessions[i]->canDecode(tokens[j], why)) {
      error = "session " + std::to_string(i) + ": " + why;
      return false;
    }
    positions[j] = sessions[i]->getPosition();
    offsets[j] = i * stride;
  }
  const Manifest &manifest = sessions.front()->getManifest();
  size_t logitsBytes =
      static_cast<size_t>(n) * manifest.vocabSize * sizeof(float);
  if (logits.size() < logitsBytes && !logits.allocate(logitsBytes, error)) {
    error = "logits: " + error;
    return false;
  }

  applyThreadCount();
  // The callee only reads the weights, offsets, tokens and positions.
  MemRef1DI8 weightsRef =
      makeMemRef1D(reinterpret_cast<int8_t *>(weights->getCallRegion()),
                   weights->getRegionBytes());
  MemRef1DI64 weightOffsetsRef =
      makeMemRef1D(weights->getCallOffsets(),
                   static_cast<int64_t>(weights->getOffsets().size()));
  auto *out = reinterpret_cast<float *>(logits.data());
  int64_t *tokenData = const_cast<int64_t *>(tokens);
  int64_t *positionData = positions.data(), *offsetData = offsets.data();
  unsigned char *poolData = pool.data();
  size_t poolBytes = pool.size();
  if (onDevice) {
    size_t tableBytes = static_cast<size_t>(n) * sizeof(int64_t);
    if ((deviceLogits.size() < logitsBytes &&
         !deviceLogits.allocate(logitsBytes, error)) ||
        !deviceInputs.reserve(3 * tableBytes, error)) {
      error = "decode on the GPU: " + error;
      return false;
    }
    tokenData = reinterpret_cast<int64_t *>(deviceInputs.data());
    positionData = tokenData + n;
    offsetData = positionData + n;
    std::memcpy(tokenData, tokens, tableBytes);
    std::memcpy(positionData, positions.data(), tableBytes);
    std::memcpy(offsetData, offsets.data(), tableBytes);
    out = reinterpret_cast<float *>(deviceLogits.data());
    poolData = devicePool.data();
    poolBytes = devicePool.size();
  }
  MemRef1DI8 poolRef = makeMemRef1D(reinterpret_cast<int8_t *>(poolData),
                                    static_cast<int64_t>(poolBytes));
  MemRef1DI64 tokensRef = makeMemRef1D(tokenData, n);
  MemRef1DI64 positionsRef = makeMemRef1D(positionData, n);
  MemRef1DI64 offsetsRef = makeMemRef1D(offsetData, n);
  MemRef2DF32 logitsRef = {
      out, out, 0, {n, manifest.vocabSize}, {manifest.vocabSize, 1}};
  auto call = [&] {
    _mlir_ciface_tfc_decode_batch(
        &weightsRef, &weightOffsetsRef, &poolRef, &tokensRef, &positionsRef,
        &offsetsRef, sessions.front()->getMaxContext(), &logitsRef);
  };
  if (!onDevice) {
    call();
  } else if (!cuda::run(call, error) ||
             !cuda::copyToHost(logits.data(), out, logitsBytes, error)) {
    for (int64_t j = 0; j < n; ++j)
      sessions[indices[j]]->reset();
    error = "decode on the GPU: " + error + " (its sessions were reset)";
    return false;
  }
  out = reinterpret_cast<float *>(logits.data());
  for (int64_t j = 0; j < n; ++j)
    sessions[indices[j]]->finishBatchedDecode(out + j * manifest.vocabSize);
  return true;
}
