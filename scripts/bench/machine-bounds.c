/* machine-bounds.c - this machine's bounds for the benchmarks' fractions:
 * read bandwidth (a 1 GiB buffer summed with 512-bit loads, on T threads)
 * and one core's f32 FMA peak (independent 512-bit FMA chains).
 *   machine-bounds THREADS   prints "read_gbps=<GB/s> fma_gflops=<GFLOP/s per core>"
 * Built by the benchmark scripts with clang -O2 -march=native -pthread. */
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct {
  const float *data;
  size_t count;
  float sink;
} Slice;

static void *readSlice(void *arg) {
  Slice *s = arg;
  __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(),
                   _mm512_setzero_ps(), _mm512_setzero_ps()};
  for (size_t i = 0; i + 64 <= s->count; i += 64)
    for (int j = 0; j < 4; ++j)
      acc[j] = _mm512_add_ps(acc[j], _mm512_load_ps(s->data + i + 16 * j));
  s->sink = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc[0], acc[1]),
                                               _mm512_add_ps(acc[2], acc[3])));
  return NULL;
}

/* Best of 5 passes over the buffer, split into `threads` slices. */
static double readBandwidth(int threads) {
  size_t count = (size_t)1 << 28; /* 1 GiB of f32 */
  size_t bytes = count * sizeof(float);
  /* Huge pages where the kernel grants them (it makes no measurable
   * difference here: 44 GB/s on one core either way). */
  float *data = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED)
    return 0;
  madvise(data, bytes, MADV_HUGEPAGE);
  for (size_t i = 0; i < count; ++i)
    data[i] = (float)(i & 1023);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    pthread_t ids[256];
    Slice slices[256];
    size_t per = count / threads / 64 * 64;
    double t0 = now();
    for (int t = 0; t < threads; ++t) {
      slices[t] = (Slice){data + t * per, per, 0};
      pthread_create(&ids[t], NULL, readSlice, &slices[t]);
    }
    for (int t = 0; t < threads; ++t)
      pthread_join(ids[t], NULL);
    double gbps = (double)per * threads * sizeof(float) / (now() - t0) / 1e9;
    if (gbps > best)
      best = gbps;
  }
  munmap(data, bytes);
  return best;
}

/* 12 independent FMA chains hide the FMA latency; 2 FLOPs x 16 lanes each. */
static double fmaPeak(void) {
  __m512 a[12], m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (int j = 0; j < 12; ++j)
    a[j] = _mm512_set1_ps((float)j);
  long iters = 200000000;
  double t0 = now();
  for (long i = 0; i < iters; ++i)
    for (int j = 0; j < 12; ++j)
      a[j] = _mm512_fmadd_ps(a[j], m, c);
  double s = now() - t0;
  float sink = 0;
  for (int j = 0; j < 12; ++j)
    sink += _mm512_reduce_add_ps(a[j]);
  if (sink == 12345.0f)
    printf("#\n");
  return iters * 12.0 * 32.0 / s / 1e9;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "machine-bounds: THREADS must be 1..256\n");
    return 1;
  }
  printf("read_gbps=%.1f fma_gflops=%.1f\n", readBandwidth(threads), fmaPeak());
  return 0;
}
