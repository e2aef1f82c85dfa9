/* A stand-in libcuda.so.1 for the tests of --target=cuda libraries on a
 * machine without a GPU: device memory is host memory, and kernels are not
 * run (their outputs stay zero), but every call the runtime makes is
 * checked as the driver would check it:
 * - cuModuleLoadData takes only a cubin (ELF) or PTX text, and
 *   cuModuleGetFunction only a kernel whose name the image holds;
 * - cuLaunchKernel takes only a function of a loaded module, grids and
 *   blocks inside the hardware's limits, and a stream of this context;
 * - device pointers handed to copies and memsets lie inside allocations.
 * FAKE_CUDA_FAIL=<driver function>[:<n>] makes its n-th call (default 1st)
 * fail, as a real failure would (out of memory, a launch failure).
 * FAKE_CUDA_LOG=<file> gets one line per kernel launch and a summary. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
enum {
  SUCCESS = 0,
  INVALID_VALUE = 1,
  OUT_OF_MEMORY = 2,
  INVALID_IMAGE = 200,
  NO_BINARY_FOR_GPU = 209,
  NOT_FOUND = 500,
  LAUNCH_FAILED = 719,
};

static FILE *logFile(void) {
  static FILE *file;
  static int opened;
  if (!opened) {
    opened = 1;
    const char *path = getenv("FAKE_CUDA_LOG");
    if (path)
      file = fopen(path, "w");
  }
  return file;
}

/* Whether this call of `function` is the one FAKE_CUDA_FAIL names. */
static int injected(const char *function) {
  const char *spec = getenv("FAKE_CUDA_FAIL");
  if (!spec)
    return 0;
  size_t length = strcspn(spec, ":");
  if (strlen(function) != length || strncmp(spec, function, length) != 0)
    return 0;
  static int calls;
  int nth = spec[length] == ':' ? atoi(spec + length + 1) : 1;
  return ++calls == nth;
}

/* Allocations, to check that device pointers point into one. */
#define MAX_ALLOCATIONS 100000
static struct {
  char *base;
  size_t size;
} allocations[MAX_ALLOCATIONS];
static int numAllocations;
static long allocationCalls, launches;

static int insideAllocation(CUdeviceptr ptr, size_t bytes) {
  for (int i = 0; i < numAllocations; ++i)
    if ((char *)ptr >= allocations[i].base &&
        (char *)ptr + bytes <= allocations[i].base + allocations[i].size)
      return 1;
  return 0;
}

static CUresult allocate(CUdeviceptr *ptr, size_t bytes) {
  if (bytes == 0)
    return INVALID_VALUE;
  if (numAllocations == MAX_ALLOCATIONS)
    return OUT_OF_MEMORY;
  char *base = calloc(1, bytes);
  if (!base)
    return OUT_OF_MEMORY;
  allocations[numAllocations].base = base;
  allocations[numAllocations++].size = bytes;
  ++allocationCalls;
  *ptr = (CUdeviceptr)base;
  return SUCCESS;
}

static CUresult release(CUdeviceptr ptr) {
  for (int i = 0; i < numAllocations; ++i)
    if (allocations[i].base == (char *)ptr) {
      free(allocations[i].base);
      allocations[i] = allocations[--numAllocations];
      return SUCCESS;
    }
  return INVALID_VALUE;
}

static int context, stream, pool;

CUresult cuInit(unsigned flags) { return flags ? INVALID_VALUE : SUCCESS; }
CUresult cuGetErrorName(CUresult result, const char **name) {
  switch (result) {
  case OUT_OF_MEMORY:
    *name = "CUDA_ERROR_OUT_OF_MEMORY";
    return SUCCESS;
  case INVALID_VALUE:
    *name = "CUDA_ERROR_INVALID_VALUE";
    return SUCCESS;
  case INVALID_IMAGE:
    *name = "CUDA_ERROR_INVALID_IMAGE";
    return SUCCESS;
  case NO_BINARY_FOR_GPU:
    *name = "CUDA_ERROR_NO_BINARY_FOR_GPU";
    return SUCCESS;
  case NOT_FOUND:
    *name = "CUDA_ERROR_NOT_FOUND";
    return SUCCESS;
  case LAUNCH_FAILED:
    *name = "CUDA_ERROR_LAUNCH_FAILED";
    return SUCCESS;
  }
  return INVALID_VALUE;
}
CUresult cuGetErrorString(CUresult result, const char **text) {
  const char *name;
  if (cuGetErrorName(result, &name) != SUCCESS)
    return INVALID_VALUE;
  *text = result == OUT_OF_MEMORY ? "out of memory" : "injected by fake_cuda";
  return SUCCESS;
}
CUresult cuDeviceGetCount(int *count) {
  *count = 1;
  return SUCCESS;
}
CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? SUCCESS : INVALID_VALUE;
}
CUresult cuDeviceGetName(char *name, int length, int device) {
  snprintf(name, (size_t)length, "fake GPU");
  return SUCCESS;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  *value = attribute == 75 ? 9 : 0; /* sm_90 */
  return SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int device) {
  *ctx = &context;
  return SUCCESS;
}
CUresult cuCtxSetCurrent(void *ctx) {
  return ctx == &context ? SUCCESS : INVALID_VALUE;
}
CUresult cuStreamCreate(void **s, unsigned flags) {
  *s = &stream;
  return SUCCESS;
}
CUresult cuStreamSynchronize(void *s) {
  return s == &stream ? SUCCESS : INVALID_VALUE;
}
CUresult cuDeviceGetDefaultMemPool(void **p, int device) {
  *p = &pool;
  return SUCCESS;
}
CUresult cuMemPoolSetAttribute(void *p, int attribute, void *value) {
  return p == &pool ? SUCCESS : INVALID_VALUE;
}

CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes) {
  return injected("cuMemAlloc_v2") ? OUT_OF_MEMORY : allocate(ptr, bytes);
}
CUresult cuMemFree_v2(CUdeviceptr ptr) { return release(ptr); }
CUresult cuMemAllocAsync(CUdeviceptr *ptr, size_t bytes, void *s) {
  if (s != &stream)
    return INVALID_VALUE;
  return injected("cuMemAllocAsync") ? OUT_OF_MEMORY : allocate(ptr, bytes);
}
CUresult cuMemFreeAsync(CUdeviceptr ptr, void *s) {
  return s == &stream ? release(ptr) : INVALID_VALUE;
}
/* Mapped host memory is an allocation too (it is device-addressable). */
CUresult cuMemHostAlloc(void **ptr, size_t bytes, unsigned flags) {
  if (!(flags & 2)) /* CU_MEMHOSTALLOC_DEVICEMAP */
    return INVALID_VALUE;
  return allocate((CUdeviceptr *)ptr, bytes);
}
CUresult cuMemFreeHost(void *ptr) { return release((CUdeviceptr)ptr); }
/* Unified addressing: either side may be pageable host memory, but a
 * device side must lie in an allocation; at least one side must. */
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
                       void *s) {
  if (s != &stream ||
      (!insideAllocation(dst, bytes) && !insideAllocation(src, bytes)))
    return INVALID_VALUE;
  memcpy((void *)dst, (const void *)src, bytes);
  return SUCCESS;
}
CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t bytes,
                         void *s) {
  if (s != &stream || !insideAllocation(dst, bytes))
    return INVALID_VALUE;
  memset((void *)dst, value, bytes);
  return SUCCESS;
}

/* A module: its image's bytes, searched for kernel names. */
struct Module {
  const char *image;
  size_t size;
  int kernels;
};
struct Function {
  struct Module *module;
  char name[128];
};

CUresult cuModuleLoadData(void **module, const void *image) {
  const unsigned char *bytes = image;
  size_t size;
  if (injected("cuModuleLoadData"))
    return NO_BINARY_FOR_GPU;
  if (memcmp(bytes,
             "\x7f"
             "ELF",
             4) == 0) {
    /* ELF64: the section headers end the file. */
    uint64_t shoff;
    uint16_t shentsize, shnum;
    memcpy(&shoff, bytes + 0x28, 8);
    memcpy(&shentsize, bytes + 0x3a, 2);
    memcpy(&shnum, bytes + 0x3c, 2);
    size = shoff + (uint64_t)shentsize * shnum;
  } else if (strstr((const char *)bytes, ".version") &&
             strstr((const char *)bytes, ".target")) {
    size = strlen((const char *)bytes);
  } else {
    return INVALID_IMAGE;
  }
  struct Module *m = calloc(1, sizeof *m);
  m->image = image;
  m->size = size;
  *module = m;
  return SUCCESS;
}

CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  struct Module *m = module;
  size_t length = strlen(name);
  if (length >= sizeof(((struct Function *)0)->name))
    return NOT_FOUND;
  /* The name, NUL-terminated, as an ELF string table or a PTX .entry. */
  for (size_t i = 0; i + length < m->size; ++i)
    if (memcmp(m->image + i, name, length + 1) == 0 ||
        (memcmp(m->image + i, name, length) == 0 &&
         m->image[i + length] == '(')) {
      struct Function *f = calloc(1, sizeof *f);
      f->module = m;
      memcpy(f->name, name, length + 1);
      ++m->kernels;
      *function = f;
      return SUCCESS;
    }
  return NOT_FOUND;
}

CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedBytes, void *s, void **params,
                        void **extra) {
  struct Function *f = function;
  if (!f || s != &stream || !params || extra)
    return INVALID_VALUE;
  if (gx == 0 || gy == 0 || gz == 0 || gx > 2147483647u || gy > 65535 ||
      gz > 65535 || bx == 0 || by == 0 || bz == 0 || bx > 1024 || by > 1024 ||
      bz > 64 || (unsigned long)bx * by * bz > 1024 || sharedBytes > 49152)
    return INVALID_VALUE;
  if (injected("cuLaunchKernel"))
    return LAUNCH_FAILED;
  ++launches;
  if (logFile())
    fprintf(logFile(), "launch %s grid %ux%ux%u block %ux%ux%u\n", f->name, gx,
            gy, gz, bx, by, bz);
  return SUCCESS;
}

__attribute__((destructor)) static void summary(void) {
  if (logFile())
    fprintf(logFile(), "launches %ld allocations %ld live %d\n", launches,
            allocationCalls, numAllocations);
}
