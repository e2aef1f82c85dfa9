/* fake_model.c - a hand-written stand-in for tfc-compile's output. */
/*
 * Defines what docs/ABI.md (manifest version 3) says a generated model object
 * defines, for a tiny model (vocab 8, hidden 4) whose logits are easy to check
 * by hand:
 *
 *   h_p      = embed[token_p] * norm              (elementwise; cached in KV)
 *   x_p      = h_0 + ... + h_p + p * (1, -1, 0, 0)
 *   logits_p = head . x_p                         (head is 8x4)
 *
 * embed and head are read as f32, norm as bf16, all through the weight
 * offsets table, so a checkpoint exercises both reading in place and
 * converting. x_p reads the cached h_q of all earlier positions, so
 * prefill-then-decode gives the logits of one prefill only if the runtime
 * keeps the KV cache. Every descriptor is checked against the ABI; a
 * violation aborts, which fails the test that triggered it.
 *
 * -DFAKE_MANIFEST=N picks a malformed manifest (1-19) or a valid variant
 * (20-23) instead; see below.
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKE_MANIFEST
#define FAKE_MANIFEST 0
#endif

#define SIZES "model fake\nvocab_size 8\nhidden_size 4\nnum_layers 1\n"
#define CONTEXT "context 0 0\n"
#define PREFIX "base_model_prefix -\n"
#define KV "kv_dtype f32\nkv_caches 1\nkv_cache 4 0\n"
#define WEIGHTS                                                                \
  "weights 3\nweight embed.weight f32 8x4\nweight norm.weight bf16 4\n"        \
  "weight head.weight f32 8x4\n"
#define OPTIONAL "optional head.bias\n"
/* HEADER is lines 1-10; in WEIGHTS, the weight lines are 12-14. */
#define HEADER "tfc-manifest 3\n" SIZES CONTEXT PREFIX KV

#if FAKE_MANIFEST == 0
const char tfc_manifest[] = HEADER WEIGHTS OPTIONAL "end\n";
#elif FAKE_MANIFEST == 1 /* an older version */
const char tfc_manifest[] = "tfc-manifest 2\nend\n";
#elif FAKE_MANIFEST == 2 /* no end line */
const char tfc_manifest[] = HEADER WEIGHTS;
#elif FAKE_MANIFEST == 3 /* 'weights' count disagrees with the lines */
const char tfc_manifest[] =
    HEADER "weights 2\nweight embed.weight f32 8x4\nend\n";
#elif FAKE_MANIFEST == 4 /* arena_bytes is gone in version 3 */
const char tfc_manifest[] = HEADER "arena_bytes 320\n" WEIGHTS "end\n";
#elif FAKE_MANIFEST == 5 /* missing vocab_size */
const char tfc_manifest[] =
    "tfc-manifest 3\nmodel fake\nhidden_size 4\nnum_layers 1\n" CONTEXT
    PREFIX KV WEIGHTS "end\n";
#elif FAKE_MANIFEST == 6 /* malformed shape */
const char tfc_manifest[] =
    HEADER "weights 1\nweight embed.weight f32 8x0\nend\n";
#elif FAKE_MANIFEST == 7 /* unsupported weight dtype */
const char tfc_manifest[] =
    HEADER "weights 1\nweight embed.weight f64 8x4\nend\n";
#elif FAKE_MANIFEST == 8 /* double space */
const char tfc_manifest[] =
    HEADER "weights 1\nweight  embed.weight f32 8x4\nend\n";
#elif FAKE_MANIFEST == 9 /* fewer kv_cache records than kv_caches says */
const char tfc_manifest[] = "tfc-manifest 3\n" SIZES CONTEXT PREFIX
    "kv_dtype f32\nkv_caches 2\nkv_cache 4 0\n" WEIGHTS "end\n";
#elif FAKE_MANIFEST == 10 /* negative window */
const char tfc_manifest[] = HEADER "kv_cache 4 -1\n" WEIGHTS "end\n";
#elif FAKE_MANIFEST == 11 /* trained context above the position limit */
const char tfc_manifest[] = "tfc-manifest 3\n" SIZES "context 32 16\n" PREFIX
    KV WEIGHTS "end\n";
#elif FAKE_MANIFEST == 12 /* unsupported kv_dtype */
const char tfc_manifest[] = "tfc-manifest 3\n" SIZES CONTEXT PREFIX
    "kv_dtype f8\nkv_caches 1\nkv_cache 4 0\n" WEIGHTS "end\n";
#elif FAKE_MANIFEST == 13 /* an optional tensor that is also a weight */
const char tfc_manifest[] = HEADER WEIGHTS "optional norm.weight\nend\n";
#elif FAKE_MANIFEST == 14 /* no context record */
const char tfc_manifest[] =
    "tfc-manifest 3\n" SIZES PREFIX KV WEIGHTS "end\n";
#elif FAKE_MANIFEST == 15 /* a version 2 weight line, with its offset */
const char tfc_manifest[] =
    HEADER "weights 1\nweight embed.weight f32 8x4 0\nend\n";
#elif FAKE_MANIFEST == 20 /* full-model names under base_model_prefix */
const char tfc_manifest[] =
    "tfc-manifest 3\n" SIZES CONTEXT "base_model_prefix model.\n" KV
    "weights 3\nweight model.embed.weight f32 8x4\n"
    "weight model.norm.weight bf16 4\nweight head.weight f32 8x4\n"
    "optional model.spare.weight\nend\n";
#elif FAKE_MANIFEST == 21 /* a learned position table of 16 rows */
const char tfc_manifest[] =
    "tfc-manifest 3\n" SIZES "context 0 16\n" PREFIX KV WEIGHTS "end\n";
#elif FAKE_MANIFEST == 22 /* trained on 8 positions, no position table */
const char tfc_manifest[] =
    "tfc-manifest 3\n" SIZES "context 8 0\n" PREFIX KV WEIGHTS "end\n";
#elif FAKE_MANIFEST == 23 /* KV layout only (never run): bf16, two caches */
const char tfc_manifest[] = "tfc-manifest 3\n" SIZES CONTEXT PREFIX
    "kv_dtype bf16\nkv_caches 2\nkv_cache 4 0\nkv_cache 3 2\n" WEIGHTS
    "end\n";
#endif

enum { kVocab = 8, kHidden = 4, kWeights = 3 };
enum { kEmbed = 0, kNorm = 1, kHead = 2 };
/* Bytes of each weight in the manifest dtype, and its element size. */
static const int64_t kWeightBytes[kWeights] = {128, 8, 128};
static const int64_t kElementBytes[kWeights] = {4, 2, 4};

typedef struct {
  int8_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1D_i8;
typedef struct {
  int64_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1D_i64;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} MemRef2D_f32;

/* OpenMP team size seen by the calling thread's last call, for the C API
 * test. Per thread, as two sessions may run at once. */
static _Thread_local int last_threads;
int fake_last_threads(void) { return last_threads; }

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fake_model: ABI violation: %s\n", what);
    abort();
  }
}

static float bf16(uint16_t bits) {
  uint32_t wide = (uint32_t)bits << 16;
  float f;
  memcpy(&f, &wide, sizeof(f));
  return f;
}

/* The one cache: 4 f32 a position, rounded up to 64 bytes (ABI.md). */
static int64_t kv_bytes(int64_t max_context) {
  return (16 * max_context + 63) / 64 * 64;
}

/* last_only: the logits of the last token only, in row 0 (prefill_last). */
static void run(MemRef1D_i8 *weights, MemRef1D_i64 *offsets, MemRef1D_i8 *kv,
                MemRef1D_i64 *tokens, int64_t pos, int64_t max_context,
                MemRef2D_f32 *logits, int is_decode, int last_only) {
  int64_t n = tokens->sizes[0];
  int64_t rows = last_only ? 1 : n;
  expect(FAKE_MANIFEST != 23, "variant 23 is not runnable");
  expect(weights->offset == 0 && weights->strides[0] == 1 &&
             weights->sizes[0] > 0,
         "weights descriptor");
  expect(offsets->offset == 0 && offsets->sizes[0] == kWeights &&
             offsets->strides[0] == 1,
         "weight_offsets descriptor");
  for (int i = 0; i < kWeights; ++i) {
    int64_t at = offsets->aligned[i];
    expect(at >= 0 && at + kWeightBytes[i] <= weights->sizes[0],
           "weight outside the region");
    expect(((uintptr_t)(weights->aligned + at) % kElementBytes[i]) == 0,
           "weight not aligned to its element size");
  }
  expect(((uintptr_t)kv->aligned & 63) == 0, "kv_cache not 64-byte aligned");
  expect(kv->offset == 0 && kv->sizes[0] == kv_bytes(max_context) &&
             kv->strides[0] == 1,
         "kv_cache descriptor");
  expect(tokens->offset == 0 && tokens->strides[0] == 1 && n >= 1,
         "tokens descriptor");
  expect(!is_decode || n == 1, "decode with n != 1");
  expect(pos >= 0 && pos + n <= max_context, "pos + n > max_context");
#if FAKE_MANIFEST == 21
  expect(max_context <= 16, "max_context above the position limit");
#endif
  expect(logits->offset == 0 && logits->sizes[0] == rows &&
             logits->sizes[1] == kVocab && logits->strides[0] == kVocab &&
             logits->strides[1] == 1,
         "logits descriptor");
  float *cache = (float *)kv->aligned;
  /* The runtime zeroes the cache; nothing may be stored past pos. */
  for (int64_t i = pos * 4; i < 4 * max_context; ++i)
    expect(cache[i] == 0.0f, "KV cache not zero past pos");

  const int8_t *base = weights->aligned;
  const float *embed = (const float *)(base + offsets->aligned[kEmbed]);
  const uint16_t *norm = (const uint16_t *)(base + offsets->aligned[kNorm]);
  const float *head = (const float *)(base + offsets->aligned[kHead]);
  last_threads = omp_get_max_threads();
  for (int64_t i = 0; i < n; ++i) {
    int64_t p = pos + i, token = tokens->aligned[i];
    expect(token >= 0 && token < kVocab, "token out of range");
    float x[kHidden] = {(float)p, -(float)p, 0, 0};
    for (int j = 0; j < kHidden; ++j)
      cache[p * 4 + j] = embed[token * kHidden + j] * bf16(norm[j]);
    for (int64_t q = 0; q <= p; ++q)
      for (int j = 0; j < kHidden; ++j)
        x[j] += cache[q * 4 + j];
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

#define ENTRY(name, is_decode, last_only)                                      \
  void name(MemRef1D_i8 *weights, MemRef1D_i64 *offsets, MemRef1D_i8 *kv,     \
            MemRef1D_i64 *tokens, int64_t pos, int64_t max_context,            \
            MemRef2D_f32 *logits) {                                            \
    run(weights, offsets, kv, tokens, pos, max_context, logits, is_decode,     \
        last_only);                                                            \
  }
ENTRY(_mlir_ciface_tfc_prefill, 0, 0)
ENTRY(_mlir_ciface_tfc_prefill_last, 0, 1)
ENTRY(_mlir_ciface_tfc_decode, 1, 0)
