//===- CUDA.h - The CUDA driver for --target=cuda libraries -----*- C++ -*-===//
//
// A library compiled with --target=cuda runs its kernels through the CUDA
// driver API. The driver is loaded with dlopen("libcuda.so.1") on first use,
// so that the library links, and a CPU program loads it, without one. One
// context (the primary context of device 0, or $TFC_CUDA_DEVICE) and one
// stream serve every session; calls into the generated code hold a lock.
//
// The generated host code calls the mgpu* functions that MLIR's
// gpu-to-llvm lowering emits; this file defines them on that stream
// (docs/ABI.md, "CUDA libraries").
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_CUDA_H
#define TFC_RUNTIME_CUDA_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace tfc::runtime::cuda {

/// Whether the model library was compiled with --target=cuda (it defines
/// tfc_cuda_abi).
bool isCUDALibrary();

/// Loads the driver and creates the context and stream, once; false with
/// `error` naming the call that failed.
bool initialize(std::string &error);

/// Device memory, freed by the destructor.
class DeviceBuffer {
public:
  DeviceBuffer() = default;
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;

  /// `bytes` of device memory, zeroed, replacing the old; false with
  /// `error`.
  bool allocate(size_t bytes, std::string &error);
  /// The device address (not to be dereferenced on the host).
  unsigned char *data() const { return reinterpret_cast<unsigned char *>(ptr); }
  size_t size() const { return length; }

private:
  unsigned long long ptr = 0; // a CUdeviceptr
  size_t length = 0;
};

/// Copies `bytes` between host and device memory, and zeroes device memory
/// (each waits for the stream); false with `error`.
bool copyToDevice(void *device, const void *host, size_t bytes,
                  std::string &error);
bool copyToHost(void *host, const void *device, size_t bytes,
                std::string &error);
bool zeroDevice(void *device, size_t bytes, std::string &error);

/// Page-locked host memory mapped into the device's address space (the same
/// address on both sides): the i64 tables the host code and the kernels
/// both read.
class MappedBuffer {
public:
  MappedBuffer() = default;
  ~MappedBuffer();
  MappedBuffer(const MappedBuffer &) = delete;
  MappedBuffer &operator=(const MappedBuffer &) = delete;

  /// At least `bytes`, keeping nothing of the old contents.
  bool reserve(size_t bytes, std::string &error);
  unsigned char *data() const { return static_cast<unsigned char *>(ptr); }

private:
  void *ptr = nullptr;
  size_t length = 0;
};

/// Runs `call` (which calls into the generated code) under the device lock
/// and waits for the stream; false with the first CUDA error the call's
/// GPU operations met ("cuLaunchKernel (tfc_decode_kernel_3): ...").
bool run(const std::function<void()> &call, std::string &error);

} // namespace tfc::runtime::cuda

#endif // TFC_RUNTIME_CUDA_H
