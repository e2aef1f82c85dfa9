//===- Weights.h - A bound checkpoint, read-only and shareable --*- C++ -*-===//
//
// The weight region of ABI.md: every file of a checkpoint mapped read-only
// into one address range, followed by an anonymous tail holding the tensors
// that could not be read in place (another dtype than the manifest's, or not
// aligned to their element size), converted once at load. With the offsets
// table it is all the generated code reads, so one Weights serves any number
// of sessions in any number of threads.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_WEIGHTS_H
#define TFC_RUNTIME_WEIGHTS_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tfc::runtime {

class Checkpoint;
struct Manifest;
namespace cuda {
class DeviceBuffer;
class MappedBuffer;
} // namespace cuda

class Weights {
public:
  ~Weights();
  Weights(const Weights &) = delete;
  Weights &operator=(const Weights &) = delete;

  /// Checks `path` against the library's manifest and maps it. On failure
  /// null, with `error` listing every problem. A load that had to convert or
  /// copy tensors sets getNote() and prints it once on stderr. With
  /// `copyAll`, tensors the model could read in place are copied too, into
  /// the tail's huge pages (tfc_weights_load_copied).
  static std::shared_ptr<const Weights> load(const std::string &path,
                                             std::string &error,
                                             bool copyAll = false);

  const Manifest &getManifest() const { return *manifest; }
  const std::string &getPath() const { return path; }
  /// The region base and size: the files, then the tail.
  unsigned char *getRegion() const;
  int64_t getRegionBytes() const;
  /// Byte offset in the region of each manifest weight, manifest order.
  const std::vector<int64_t> &getOffsets() const { return offsets; }
  /// What the generated code reads: the region and the offsets, or for a
  /// --target=cuda library their copies made at load, the region in device
  /// memory and the offsets in host memory mapped into the device
  /// (docs/ABI.md).
  unsigned char *getCallRegion() const;
  int64_t *getCallOffsets() const;

  /// Bytes of the checkpoint files mapped (their sizes, summed).
  int64_t getBytesMapped() const;
  /// Bytes of tensors converted or copied into the tail.
  int64_t getBytesCopied() const { return bytesCopied; }
  /// Bytes of anonymous memory of the tail (page-rounded).
  int64_t getBytesAllocated() const { return tailBytes; }
  int64_t getTensorsCopied() const { return tensorsCopied; }
  /// What was converted and how to avoid it; "" when every tensor is read in
  /// place.
  const std::string &getNote() const { return note; }

private:
  Weights() = default;
  /// The checkpoint mapped and converted on the host.
  static std::shared_ptr<Weights> loadOnHost(const std::string &path,
                                             std::string &error, bool copyAll);
  /// The device's copies, for a --target=cuda library.
  bool copyToDevice(std::string &error);

  const Manifest *manifest = nullptr;
  std::string path;
  std::unique_ptr<Checkpoint> checkpoint;
  std::vector<int64_t> offsets;
  int64_t bytesCopied = 0;
  int64_t tailBytes = 0;
  int64_t tensorsCopied = 0;
  std::string note;
  std::unique_ptr<cuda::DeviceBuffer> deviceRegion;
  std::unique_ptr<cuda::MappedBuffer> deviceOffsets;
};

} // namespace tfc::runtime

#endif // TFC_RUNTIME_WEIGHTS_H
