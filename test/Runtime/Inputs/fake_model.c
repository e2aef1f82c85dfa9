/* fake_model.c - a hand-written stand-in for tfc-compile's output. */
/*
 * Defines what docs/ABI.md says a generated model object defines, for a tiny
 * model (vocab 8, hidden 4) whose logits are easy to check by hand:
 *
 *   h_p      = embed[token_p] * norm              (elementwise; cached in KV)
 *   x_p      = h_0 + ... + h_p + p * (1, -1, 0, 0)
 *   logits_p = head . x_p                         (head is 8x4)
 *
 * x_p reads the cached h_q of all earlier positions, so prefill-then-decode
 * gives the logits of one prefill only if the runtime keeps the KV cache.
 * Every descriptor is checked against the ABI; a violation aborts, which
 * fails the test that triggered it.
 *
 * -DFAKE_MANIFEST=N picks a malformed manifest (see below) instead.
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef FAKE_MANIFEST
#define FAKE_MANIFEST 0
#endif

#define HEADER                                                                 \
  "tfc-manifest 2\nmodel fake\nvocab_size 8\nhidden_size 4\nnum_layers 1\n"    \
  "arena_bytes 320\nkv_caches 1\nkv_cache 4 0\n"
#define WEIGHTS                                                                \
  "weight embed.weight f32 8x4 0\nweight norm.weight f32 4 128\n"              \
  "weight head.weight f32 8x4 192\n"

#if FAKE_MANIFEST == 0
const char tfc_manifest[] = HEADER WEIGHTS "end\n";
#elif FAKE_MANIFEST == 1 /* wrong version */
const char tfc_manifest[] = "tfc-manifest 3\nend\n";
#elif FAKE_MANIFEST == 2 /* no end line */
const char tfc_manifest[] = HEADER WEIGHTS;
#elif FAKE_MANIFEST == 3 /* offset not a multiple of 64 */
const char tfc_manifest[] = HEADER "weight embed.weight f32 8x4 32\nend\n";
#elif FAKE_MANIFEST == 4 /* weights overlap */
const char tfc_manifest[] = HEADER "weight embed.weight f32 8x4 0\n"
                                   "weight head.weight f32 8x4 64\nend\n";
#elif FAKE_MANIFEST == 5 /* missing vocab_size */
const char tfc_manifest[] =
    "tfc-manifest 2\nmodel fake\nhidden_size 4\nnum_layers 1\n"
    "arena_bytes 320\nkv_caches 1\nkv_cache 4 0\n" WEIGHTS "end\n";
#elif FAKE_MANIFEST == 6 /* malformed shape */
const char tfc_manifest[] = HEADER "weight embed.weight f32 8x0 0\nend\n";
#elif FAKE_MANIFEST == 7 /* weight past the arena */
const char tfc_manifest[] = HEADER "weight embed.weight f32 8x4 256\nend\n";
#elif FAKE_MANIFEST == 8 /* double space */
const char tfc_manifest[] = HEADER "weight  embed.weight f32 8x4 0\nend\n";
#elif FAKE_MANIFEST == 9 /* fewer kv_cache records than kv_caches says */
const char tfc_manifest[] =
    "tfc-manifest 2\nmodel fake\nvocab_size 8\nhidden_size 4\nnum_layers 2\n"
    "arena_bytes 320\nkv_caches 2\nkv_cache 4 0\n" WEIGHTS "end\n";
#elif FAKE_MANIFEST == 10 /* negative window */
const char tfc_manifest[] = HEADER "kv_cache 4 -1\n" WEIGHTS "end\n";
#endif

enum { kVocab = 8, kHidden = 4, kArenaBytes = 320 };
enum { kEmbedOffset = 0, kNormOffset = 128, kHeadOffset = 192 };

typedef struct {
  int8_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1D_i8;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1D_f32;
typedef struct {
  int64_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1D_i64;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} MemRef2D_f32;

/* OpenMP team size seen by the last call, for the C API test. */
int fake_last_threads;

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fake_model: ABI violation: %s\n", what);
    abort();
  }
}

/* last_only: the logits of the last token only, in row 0 (prefill_last). */
static void run(MemRef1D_i8 *arena, MemRef1D_f32 *kv, MemRef1D_i64 *tokens,
                int64_t pos, int64_t max_context, MemRef2D_f32 *logits,
                int is_decode, int last_only) {
  int64_t n = tokens->sizes[0];
  int64_t rows = last_only ? 1 : n;
  expect(((uintptr_t)arena->aligned & 63) == 0, "arena not 64-byte aligned");
  expect(arena->offset == 0 && arena->sizes[0] == kArenaBytes &&
             arena->strides[0] == 1,
         "arena descriptor");
  expect(kv->offset == 0 && kv->sizes[0] == 4 * max_context &&
             kv->strides[0] == 1,
         "kv_cache descriptor");
  expect(tokens->offset == 0 && tokens->strides[0] == 1 && n >= 1,
         "tokens descriptor");
  expect(!is_decode || n == 1, "decode with n != 1");
  expect(pos >= 0 && pos + n <= max_context, "pos + n > max_context");
  expect(logits->offset == 0 && logits->sizes[0] == rows &&
             logits->sizes[1] == kVocab && logits->strides[0] == kVocab &&
             logits->strides[1] == 1,
         "logits descriptor");
  /* The runtime zeroes the cache; nothing may be stored past pos. */
  for (int64_t i = pos * 4; i < 4 * max_context; ++i)
    expect(kv->aligned[i] == 0.0f, "KV cache not zero past pos");

  const float *embed = (const float *)(arena->aligned + kEmbedOffset);
  const float *norm = (const float *)(arena->aligned + kNormOffset);
  const float *head = (const float *)(arena->aligned + kHeadOffset);
  fake_last_threads = omp_get_max_threads();
  for (int64_t i = 0; i < n; ++i) {
    int64_t p = pos + i, token = tokens->aligned[i];
    expect(token >= 0 && token < kVocab, "token out of range");
    float x[kHidden] = {(float)p, -(float)p, 0, 0};
    for (int j = 0; j < kHidden; ++j)
      kv->aligned[p * 4 + j] = embed[token * kHidden + j] * norm[j];
    for (int64_t q = 0; q <= p; ++q)
      for (int j = 0; j < kHidden; ++j)
        x[j] += kv->aligned[q * 4 + j];
    if (last_only && i != n - 1)
      continue;
    for (int v = 0; v < kVocab; ++v) {
      float acc = 0;
      for (int j = 0; j < kHidden; ++j)
        acc += head[v * kHidden + j] * x[j];
      logits->aligned[(last_only ? 0 : i) * kVocab + v] = acc;
    }
  }
}

void _mlir_ciface_tfc_prefill(MemRef1D_i8 *arena, MemRef1D_f32 *kv,
                              MemRef1D_i64 *tokens, int64_t pos,
                              int64_t max_context, MemRef2D_f32 *logits) {
  run(arena, kv, tokens, pos, max_context, logits, 0, 0);
}

void _mlir_ciface_tfc_prefill_last(MemRef1D_i8 *arena, MemRef1D_f32 *kv,
                                   MemRef1D_i64 *tokens, int64_t pos,
                                   int64_t max_context, MemRef2D_f32 *logits) {
  run(arena, kv, tokens, pos, max_context, logits, 0, 1);
}

void _mlir_ciface_tfc_decode(MemRef1D_i8 *arena, MemRef1D_f32 *kv,
                             MemRef1D_i64 *tokens, int64_t pos,
                             int64_t max_context, MemRef2D_f32 *logits) {
  run(arena, kv, tokens, pos, max_context, logits, 1, 0);
}
