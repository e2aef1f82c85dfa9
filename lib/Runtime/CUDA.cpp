//===- CUDA.cpp - The CUDA driver for --target=cuda libraries -------------===//

#include "CUDA.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <type_traits>
#include <unordered_map>

// Defined by the generated object of a --target=cuda library (docs/ABI.md);
// absent, hence null, in a CPU library.
extern "C" __attribute__((weak)) const int64_t tfc_cuda_abi;

using namespace tfc::runtime;
using namespace tfc::runtime::cuda;

namespace {
// The few driver API types used, as cuda.h declares them (the driver ABI is
// stable; no CUDA header is needed to build the runtime).
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUmemoryPool = struct CUmemPoolHandle_st *;
constexpr CUresult CUDA_SUCCESS = 0;
constexpr unsigned CU_STREAM_NON_BLOCKING = 1;
constexpr unsigned CU_MEMHOSTALLOC_PORTABLE = 1, CU_MEMHOSTALLOC_DEVICEMAP = 2;
constexpr int CU_MEMPOOL_ATTR_RELEASE_THRESHOLD = 4;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
              CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

/// The driver's entry points, resolved by name (the _v2 names are the ones
/// cuda.h maps the plain names to).
struct Driver {
#define TFC_CUDA_FUNCTIONS(X)                                                  \
  X(cuInit, "cuInit", CUresult(unsigned))                                      \
  X(cuGetErrorName, "cuGetErrorName", CUresult(CUresult, const char **))       \
  X(cuGetErrorString, "cuGetErrorString", CUresult(CUresult, const char **))   \
  X(cuDeviceGetCount, "cuDeviceGetCount", CUresult(int *))                     \
  X(cuDeviceGet, "cuDeviceGet", CUresult(CUdevice *, int))                     \
  X(cuDeviceGetName, "cuDeviceGetName", CUresult(char *, int, CUdevice))       \
  X(cuDeviceGetAttribute, "cuDeviceGetAttribute",                              \
    CUresult(int *, int, CUdevice))                                            \
  X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain",                      \
    CUresult(CUcontext *, CUdevice))                                           \
  X(cuCtxSetCurrent, "cuCtxSetCurrent", CUresult(CUcontext))                   \
  X(cuStreamCreate, "cuStreamCreate", CUresult(CUstream *, unsigned))          \
  X(cuStreamSynchronize, "cuStreamSynchronize", CUresult(CUstream))            \
  X(cuModuleLoadData, "cuModuleLoadData", CUresult(CUmodule *, const void *))  \
  X(cuModuleGetFunction, "cuModuleGetFunction",                                \
    CUresult(CUfunction *, CUmodule, const char *))                            \
  X(cuLaunchKernel, "cuLaunchKernel",                                          \
    CUresult(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned,     \
             unsigned, unsigned, CUstream, void **, void **))                  \
  X(cuMemAlloc, "cuMemAlloc_v2", CUresult(CUdeviceptr *, size_t))              \
  X(cuMemFree, "cuMemFree_v2", CUresult(CUdeviceptr))                          \
  X(cuMemAllocAsync, "cuMemAllocAsync",                                        \
    CUresult(CUdeviceptr *, size_t, CUstream))                                 \
  X(cuMemFreeAsync, "cuMemFreeAsync", CUresult(CUdeviceptr, CUstream))         \
  X(cuMemcpyAsync, "cuMemcpyAsync",                                            \
    CUresult(CUdeviceptr, CUdeviceptr, size_t, CUstream))                      \
  X(cuMemsetD8Async, "cuMemsetD8Async",                                        \
    CUresult(CUdeviceptr, unsigned char, size_t, CUstream))                    \
  X(cuMemHostAlloc, "cuMemHostAlloc", CUresult(void **, size_t, unsigned))     \
  X(cuMemFreeHost, "cuMemFreeHost", CUresult(void *))                          \
  X(cuDeviceGetDefaultMemPool, "cuDeviceGetDefaultMemPool",                    \
    CUresult(CUmemoryPool *, CUdevice))                                        \
  X(cuMemPoolSetAttribute, "cuMemPoolSetAttribute",                            \
    CUresult(CUmemoryPool, int, void *))
#define TFC_CUDA_FIELD(field, symbol, type)                                    \
  std::add_pointer_t<type> field = nullptr;
  TFC_CUDA_FUNCTIONS(TFC_CUDA_FIELD)
#undef TFC_CUDA_FIELD

  CUdevice device = 0;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  /// Guards the stream: one caller's GPU work at a time.
  std::mutex lock;
  /// Each kernel's name, for the messages of its launches.
  std::unordered_map<CUfunction, const char *> kernelNames;
  /// The first failure of the generated code's current call (the mgpu*
  /// functions cannot return one); "" when none.
  std::string pending;

  /// "cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (out of memory)".
  std::string describe(const char *call, CUresult result) const {
    const char *name = nullptr, *text = nullptr;
    if (cuGetErrorName)
      cuGetErrorName(result, &name);
    if (cuGetErrorString)
      cuGetErrorString(result, &text);
    // What a machine without a working driver answers; its stub library
    // names no error.
    if (!name && result == 34) {
      name = "CUDA_ERROR_STUB_LIBRARY";
      text = "libcuda.so.1 is the toolkit's stub, not a driver: this machine "
             "has no NVIDIA driver installed";
    } else if (!name && result == 100) {
      name = "CUDA_ERROR_NO_DEVICE";
      text = "no CUDA-capable device is detected";
    }
    return std::string(call) + ": " +
           (name ? name : "CUDA error " + std::to_string(result)) +
           (text ? std::string(" (") + text + ")" : "");
  }
  /// Checks `result` of `call`; false with `error` set if it failed.
  bool check(CUresult result, const char *call, std::string &error) const {
    if (result == CUDA_SUCCESS)
      return true;
    error = describe(call, result);
    return false;
  }
  /// Records the generated code's first failure.
  void fail(std::string message) {
    if (pending.empty())
      pending = std::move(message);
  }
};

Driver &driver() {
  // Never destroyed: buffers freed during exit still reach the driver.
  static Driver *instance = new Driver();
  return *instance;
}

/// Loads the driver and sets up the context and stream; the first call's
/// outcome is every later call's.
bool initializeOnce(std::string &error) {
  static std::string failure;
  static bool done = [&] {
    Driver &d = driver();
    void *handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      failure = std::string("cannot load the CUDA driver (dlopen "
                            "libcuda.so.1: ") +
                dlerror() +
                "); a --target=cuda library needs an NVIDIA GPU "
                "and its driver";
      return false;
    }
#define TFC_CUDA_RESOLVE(field, symbol, type)                                  \
  d.field = reinterpret_cast<std::add_pointer_t<type>>(dlsym(handle, symbol)); \
  if (!d.field) {                                                              \
    failure = "the CUDA driver (libcuda.so.1) lacks " symbol                   \
              " (a driver of CUDA 11.2 or later is needed)";                   \
    return false;                                                              \
  }
    TFC_CUDA_FUNCTIONS(TFC_CUDA_RESOLVE)
#undef TFC_CUDA_RESOLVE
    int ordinal = 0;
    if (const char *chosen = std::getenv("TFC_CUDA_DEVICE"))
      ordinal = std::atoi(chosen);
    int count = 0;
    if (!d.check(d.cuInit(0), "cuInit", failure) ||
        !d.check(d.cuDeviceGetCount(&count), "cuDeviceGetCount", failure))
      return false;
    if (ordinal < 0 || ordinal >= count) {
      failure = "TFC_CUDA_DEVICE=" + std::to_string(ordinal) +
                ": this machine has " + std::to_string(count) + " CUDA devices";
      return false;
    }
    if (!d.check(d.cuDeviceGet(&d.device, ordinal), "cuDeviceGet", failure) ||
        !d.check(d.cuDevicePrimaryCtxRetain(&d.context, d.device),
                 "cuDevicePrimaryCtxRetain", failure) ||
        !d.check(d.cuCtxSetCurrent(d.context), "cuCtxSetCurrent", failure) ||
        !d.check(d.cuStreamCreate(&d.stream, CU_STREAM_NON_BLOCKING),
                 "cuStreamCreate", failure))
      return false;
    // The intermediates of every call come from the stream-ordered pool;
    // it keeps what is freed, so a decode step allocates nothing new.
    CUmemoryPool pool;
    uint64_t keep = UINT64_MAX;
    if (!d.check(d.cuDeviceGetDefaultMemPool(&pool, d.device),
                 "cuDeviceGetDefaultMemPool", failure) ||
        !d.check(d.cuMemPoolSetAttribute(
                     pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &keep),
                 "cuMemPoolSetAttribute", failure))
      return false;
    return true;
  }();
  if (!done)
    error = failure;
  return done;
}

/// The calling thread's context is the driver's (contexts are per thread).
bool makeCurrent(std::string &error) {
  if (!initializeOnce(error))
    return false;
  Driver &d = driver();
  return d.check(d.cuCtxSetCurrent(d.context), "cuCtxSetCurrent", error);
}

/// What mgpuModuleLoad hands the generated code: the embedded image, loaded
/// into the context when its first kernel is looked up (the module's
/// constructor runs when the library is loaded, before any driver is).
struct LazyModule {
  explicit LazyModule(const void *image) : image(image) {}
  const void *image;
  CUmodule module = nullptr;
  std::unordered_map<const char *, CUfunction> functions;
};
} // namespace

bool cuda::isCUDALibrary() { return &tfc_cuda_abi != nullptr; }

bool cuda::initialize(std::string &error) { return makeCurrent(error); }

DeviceBuffer::~DeviceBuffer() {
  if (ptr)
    driver().cuMemFree(ptr);
}

bool DeviceBuffer::allocate(size_t bytes, std::string &error) {
  if (!makeCurrent(error))
    return false;
  Driver &d = driver();
  if (ptr) {
    d.cuMemFree(ptr);
    ptr = 0;
    length = 0;
  }
  // Never empty: the generated code is given a valid address.
  if (!d.check(d.cuMemAlloc(&ptr, bytes ? bytes : 1), "cuMemAlloc", error)) {
    ptr = 0;
    return false;
  }
  length = bytes;
  return zeroDevice(data(), bytes, error);
}

/// Runs `op` (a stream operation) under the lock and waits for it.
template <typename Op>
static bool onStream(const char *call, std::string &error, Op op) {
  Driver &d = driver();
  std::lock_guard<std::mutex> guard(d.lock);
  return makeCurrent(error) && d.check(op(d), call, error) &&
         d.check(d.cuStreamSynchronize(d.stream), "cuStreamSynchronize", error);
}

bool cuda::copyToDevice(void *device, const void *host, size_t bytes,
                        std::string &error) {
  return onStream("cuMemcpyAsync (to the device)", error, [&](Driver &d) {
    return d.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(device),
                           reinterpret_cast<CUdeviceptr>(host), bytes,
                           d.stream);
  });
}

bool cuda::copyToHost(void *host, const void *device, size_t bytes,
                      std::string &error) {
  return onStream("cuMemcpyAsync (to the host)", error, [&](Driver &d) {
    return d.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(host),
                           reinterpret_cast<CUdeviceptr>(device), bytes,
                           d.stream);
  });
}

bool cuda::zeroDevice(void *device, size_t bytes, std::string &error) {
  return onStream("cuMemsetD8Async", error, [&](Driver &d) {
    return d.cuMemsetD8Async(reinterpret_cast<CUdeviceptr>(device), 0, bytes,
                             d.stream);
  });
}

MappedBuffer::~MappedBuffer() {
  if (ptr)
    driver().cuMemFreeHost(ptr);
}

bool MappedBuffer::reserve(size_t bytes, std::string &error) {
  if (bytes <= length && ptr)
    return true;
  if (!makeCurrent(error))
    return false;
  Driver &d = driver();
  if (ptr)
    d.cuMemFreeHost(ptr);
  ptr = nullptr;
  length = 0;
  if (!d.check(d.cuMemHostAlloc(&ptr, bytes ? bytes : 1,
                                CU_MEMHOSTALLOC_PORTABLE |
                                    CU_MEMHOSTALLOC_DEVICEMAP),
               "cuMemHostAlloc", error)) {
    ptr = nullptr;
    return false;
  }
  length = bytes;
  return true;
}

bool cuda::run(const std::function<void()> &call, std::string &error) {
  Driver &d = driver();
  std::lock_guard<std::mutex> guard(d.lock);
  if (!makeCurrent(error))
    return false;
  d.pending.clear();
  call();
  // The stream holds the whole call; its failure, or the first one the
  // mgpu* functions met, is the call's.
  std::string syncError;
  bool synced = d.check(d.cuStreamSynchronize(d.stream), "cuStreamSynchronize",
                        syncError);
  if (!d.pending.empty()) {
    error = d.pending;
    return false;
  }
  if (!synced) {
    error = syncError;
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// What the generated host code calls (MLIR's gpu-to-llvm lowering and the
// gpu.binary translation). They run inside cuda::run, on its stream; each
// records its failure instead of returning it, and does nothing once the
// call has failed.
//===----------------------------------------------------------------------===//

extern "C" {
void *mgpuModuleLoad(void *data, size_t /*size*/) {
  return new LazyModule(data);
}

// PTX (gpu-format=isa): cuModuleLoadData compiles it.
void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return new LazyModule(data);
}

void mgpuModuleUnload(void *handle) {
  // Runs as the library unloads, possibly after the driver has shut down:
  // the module goes with the context.
  delete static_cast<LazyModule *>(handle);
}

void *mgpuModuleGetFunction(void *handle, const char *name) {
  Driver &d = driver();
  if (!d.pending.empty())
    return nullptr;
  auto *lazy = static_cast<LazyModule *>(handle);
  std::string error;
  if (!lazy->module &&
      !d.check(d.cuModuleLoadData(&lazy->module, lazy->image),
               "cuModuleLoadData (the library's kernels)", error)) {
    lazy->module = nullptr;
    int major = 0, minor = 0;
    d.cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                           d.device);
    d.cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                           d.device);
    d.fail(error + "; this GPU is sm_" + std::to_string(major) +
           std::to_string(minor) + " (recompile with a matching --gpu-arch)");
    return nullptr;
  }
  auto [it, inserted] = lazy->functions.try_emplace(name, nullptr);
  if (inserted &&
      !d.check(d.cuModuleGetFunction(&it->second, lazy->module, name),
               "cuModuleGetFunction", error)) {
    lazy->functions.erase(it);
    d.fail(error + " (" + name + ")");
    return nullptr;
  }
  d.kernelNames.try_emplace(it->second, name);
  return it->second;
}

void *mgpuStreamCreate() { return driver().stream; }
void mgpuStreamDestroy(void *) {}
// cuda::run waits for the stream once the call returns; the host code reads
// no device memory in between (tfc-gpu-device-memory checks it).
void mgpuStreamSynchronize(void *) {}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  Driver &d = driver();
  if (!d.pending.empty() || !function)
    return;
  // A loop of no iterations maps to an empty grid: nothing to run.
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || blockX <= 0 || blockY <= 0 ||
      blockZ <= 0)
    return;
  std::string error;
  if (!d.check(d.cuLaunchKernel(static_cast<CUfunction>(function), gridX, gridY,
                                gridZ, blockX, blockY, blockZ, sharedBytes,
                                static_cast<CUstream>(stream), params, extra),
               "cuLaunchKernel", error))
    d.fail(error + " (" + d.kernelNames[static_cast<CUfunction>(function)] +
           ", grid " + std::to_string(gridX) + "x" + std::to_string(gridY) +
           "x" + std::to_string(gridZ) + ", block " + std::to_string(blockX) +
           "x" + std::to_string(blockY) + "x" + std::to_string(blockZ) + ")");
}

void *mgpuMemAlloc(uint64_t bytes, void *stream, bool /*isHostShared*/) {
  Driver &d = driver();
  CUdeviceptr ptr = 0;
  std::string error;
  if (!d.pending.empty())
    return nullptr;
  if (!d.check(d.cuMemAllocAsync(&ptr, bytes ? bytes : 1,
                                 static_cast<CUstream>(stream)),
               "cuMemAllocAsync", error))
    d.fail(error + " (" + std::to_string(bytes) + " bytes)");
  return reinterpret_cast<void *>(ptr);
}

void mgpuMemFree(void *ptr, void *stream) {
  if (ptr)
    driver().cuMemFreeAsync(reinterpret_cast<CUdeviceptr>(ptr),
                            static_cast<CUstream>(stream));
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  Driver &d = driver();
  std::string error;
  if (d.pending.empty() &&
      !d.check(d.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                               reinterpret_cast<CUdeviceptr>(src), bytes,
                               static_cast<CUstream>(stream)),
               "cuMemcpyAsync", error))
    d.fail(error);
}
} // extern "C"
