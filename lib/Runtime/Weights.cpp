//===- Weights.cpp - A bound checkpoint, read-only and shareable ----------===//

#include "Weights.h"
#include "CUDA.h"
#include "DType.h"
#include "Manifest.h"
#include "Safetensors.h"
#include "Support.h"
#include "WeightBinding.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <sys/mman.h>
#include <thread>

using namespace tfc::runtime;

// Tail copies start at multiples of 64 bytes, as a vectorised kernel likes
// (ABI.md promises only the element size).
static constexpr int64_t kTailAlignment = 64;

Weights::~Weights() = default;

unsigned char *Weights::getRegion() const {
  return checkpoint->getRange().data();
}

int64_t Weights::getRegionBytes() const {
  return static_cast<int64_t>(checkpoint->getRange().size());
}

int64_t Weights::getBytesMapped() const { return checkpoint->getFileBytes(); }

unsigned char *Weights::getCallRegion() const {
  return deviceRegion ? deviceRegion->data() : getRegion();
}

int64_t *Weights::getCallOffsets() const {
  return deviceOffsets ? reinterpret_cast<int64_t *>(deviceOffsets->data())
                       : const_cast<int64_t *>(offsets.data());
}

namespace {
/// One kind of copy for the note: a dtype conversion or a misaligned tensor.
struct CopyKind {
  DType from, to;
  bool operator<(const CopyKind &other) const {
    return from != other.from ? from < other.from : to < other.to;
  }
};
} // namespace

std::shared_ptr<const Weights> Weights::load(const std::string &path,
                                             std::string &error,
                                             bool copyAll) {
  std::shared_ptr<Weights> weights = loadOnHost(path, error, copyAll);
  if (weights && cuda::isCUDALibrary() && !weights->copyToDevice(error))
    return nullptr;
  return weights;
}

bool Weights::copyToDevice(std::string &error) {
  std::string what = "cannot bind weights from '" + path + "' to the GPU";
  int64_t bytes = getRegionBytes();
  if (bytes >= (int64_t(1) << 30))
    std::fprintf(stderr, "tfc: copying %s of weights to the GPU\n",
                 formatBytes(bytes).c_str());
  deviceRegion = std::make_unique<cuda::DeviceBuffer>();
  deviceOffsets = std::make_unique<cuda::MappedBuffer>();
  size_t offsetsBytes = offsets.size() * sizeof(int64_t);
  if (!deviceRegion->allocate(static_cast<size_t>(bytes), error) ||
      !cuda::copyToDevice(deviceRegion->data(), getRegion(),
                          static_cast<size_t>(bytes), error) ||
      !deviceOffsets->reserve(offsetsBytes, error)) {
    error = what + ": " + error;
    return false;
  }
  std::memcpy(deviceOffsets->data(), offsets.data(), offsetsBytes);
  return true;
}

std::shared_ptr<Weights> Weights::loadOnHost(const std::string &path,
                                             std::string &error, bool copyAll) {
  const Manifest *manifest = getLibraryManifest(error);
  if (!manifest)
    return nullptr;
  std::string what = "cannot bind weights from '" + path + "'";
  // Room for the worst case, every weight copied: address space only, the
  // part not needed is given back below.
  int64_t reserve = 0;
  for (const ManifestWeight &weight : manifest->weights) {
    int64_t aligned;
    if (!alignUp(weight.numBytes, kTailAlignment, aligned) ||
        __builtin_add_overflow(reserve, aligned, &reserve)) {
      error = what + ": the model's weights do not fit in the address space";
      return nullptr;
    }
  }

  std::shared_ptr<Weights> weights(new Weights());
  weights->manifest = manifest;
  weights->path = path;
  std::vector<std::string> problems;
  weights->checkpoint =
      Checkpoint::open(path, static_cast<size_t>(reserve), problems);
  std::vector<const TensorInfo *> tensors;
  if (weights->checkpoint)
    resolveCheckpoint(*manifest, *weights->checkpoint, tensors, problems);
  if (!problems.empty()) {
    error = formatProblems(what, problems);
    return nullptr;
  }

  // In place where the checkpoint holds the manifest's dtype at an address
  // the generated code may load from; the rest goes to the tail.
  AddressRange &range = weights->checkpoint->getRange();
  int64_t filesEnd = static_cast<int64_t>(weights->checkpoint->getFilesEnd());
  int64_t tailUsed = 0;
  std::vector<size_t> copies;
  std::map<CopyKind, int64_t> kinds;
  int64_t misaligned = 0, asked = 0;
  weights->offsets.resize(manifest->weights.size());
  for (size_t i = 0; i < manifest->weights.size(); ++i) {
    const ManifestWeight &weight = manifest->weights[i];
    const TensorInfo *tensor = tensors[i];
    auto address = reinterpret_cast<uintptr_t>(tensor->data);
    bool aligned = address % static_cast<uintptr_t>(dtypeSize(weight.dtype)) == 0;
    if (tensor->dtype == weight.dtype && aligned && !copyAll) {
      weights->offsets[i] = static_cast<int64_t>(tensor->data - range.data());
      continue;
    }
    alignUp(tailUsed, kTailAlignment, tailUsed);
    weights->offsets[i] = filesEnd + tailUsed;
    tailUsed += weight.numBytes;
    weights->bytesCopied += weight.numBytes;
    copies.push_back(i);
    if (tensor->dtype == weight.dtype)
      ++(aligned ? asked : misaligned);
    else
      ++kinds[{tensor->dtype, weight.dtype}];
  }
  weights->tensorsCopied = static_cast<int64_t>(copies.size());
  int64_t page = static_cast<int64_t>(pageSize());
  alignUp(tailUsed, page, weights->tailBytes);
  range.shrink(static_cast<size_t>(filesEnd + weights->tailBytes));
  if (weights->tailBytes == 0)
    return weights;

  unsigned char *tail = range.data() + filesEnd;
  if (mmap(tail, static_cast<size_t>(weights->tailBytes),
           PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
           0) == MAP_FAILED) {
    error = what + ": cannot allocate " + formatBytes(weights->tailBytes) +
            " for converted weights: " + std::strerror(errno);
    return nullptr;
  }
  // Huge pages where the kernel allows them (advice only): a decode step
  // streams every converted weight, and 4 KiB pages cost a TLB miss each.
  madvise(tail, static_cast<size_t>(weights->tailBytes), MADV_HUGEPAGE);
  // Tensor by tensor on every core, largest first: quantizing an 8B model's
  // matrices takes a minute on one.
  std::sort(copies.begin(), copies.end(), [&](size_t a, size_t b) {
    return manifest->weights[a].numBytes > manifest->weights[b].numBytes;
  });
  std::atomic<size_t> nextCopy{0};
  auto convert = [&] {
    for (size_t c; (c = nextCopy.fetch_add(1)) < copies.size();) {
      size_t i = copies[c];
      const ManifestWeight &weight = manifest->weights[i];
      convertElements(tensors[i]->dtype, tensors[i]->data, weight.dtype,
                      range.data() + weights->offsets[i],
                      static_cast<size_t>(weight.numElements));
    }
  };
  unsigned workers = std::min<size_t>(
      std::max(1u, std::thread::hardware_concurrency()), copies.size());
  // Seconds of silence otherwise (an 8B model's matrices quantized).
  if (weights->bytesCopied >= (int64_t(1) << 30))
    std::fprintf(stderr, "tfc: %s %zu tensors (%s) on %u threads\n",
                 kinds.empty() ? "copying" : "converting", copies.size(),
                 formatBytes(weights->bytesCopied).c_str(), workers);
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < workers; ++t)
    threads.emplace_back(convert);
  convert();
  for (std::thread &thread : threads)
    thread.join();
  // Read-only from here on, as the mapped files are: sessions share it.
  mprotect(tail, static_cast<size_t>(weights->tailBytes), PROT_READ);

  std::string text;
  for (const auto &[kind, count] : kinds)
    text += std::string(text.empty() ? "converted " : ", ") +
            std::to_string(count) + (count == 1 ? " tensor" : " tensors") +
            " from " + dtypeName(kind.from) + " to " +
            manifestDTypeName(kind.to);
  if (misaligned)
    text += std::string(text.empty() ? "copied " : ", copied ") +
            std::to_string(misaligned) +
            (misaligned == 1 ? " tensor" : " tensors") +
            " not aligned to their element size in the file";
  if (asked)
    text += std::string(text.empty() ? "copied " : ", copied ") +
            std::to_string(asked) + (asked == 1 ? " tensor" : " tensors") +
            " the model could read in place, as asked";
  text += " (" + formatBytes(weights->bytesCopied) + " copied)";
  // One source dtype for every conversion but quantization: compiling for
  // it reads them all in place.
  if (kinds.size() == 1 && !misaligned && !asked &&
      kinds.begin()->first.to != DType::Q8_0) {
    std::string from = manifestDTypeName(kinds.begin()->first.from);
    text += "; compile with --weight-dtype=" + from +
            " to read them in place";
  }
  weights->note = text;
  std::fprintf(stderr, "tfc: note: %s\n", text.c_str());
  return weights;
}
