/* fake_model.c - a hand-written stand-in for tfc-compile's output. */
/*
 * Defines what docs/ABI.md (manifest version 4) says a generated model object
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
 * -DFAKE_MANIFEST=N picks a malformed manifest table (1-19) or a valid
 * variant (20-23) instead; see below.
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Relative to this file, so the tests' compile lines need no -I. */
#include "../../../include/tfc/Runtime/ManifestABI.h"

#ifndef FAKE_MANIFEST
#define FAKE_MANIFEST 0
#endif

static const tfc_manifest_kv_cache_v4 kv_caches[] = {{4, 0}, {3, 2}};
static const tfc_manifest_weight_v4 weights[] = {
    {"embed.weight", TFC_MANIFEST_F32, 2, {8, 4}},
    {"norm.weight", TFC_MANIFEST_BF16, 1, {4}},
    {"head.weight", TFC_MANIFEST_F32, 2, {8, 4}},
};
static const char *const optional[] = {"head.bias"};

/* The valid table; a variant overrides the fields it changes (a later
 * designated initializer wins, C11 6.7.9). */
#pragma clang diagnostic ignored "-Winitializer-overrides"
#define TABLE(...)                                                             \
  const tfc_manifest_v4 tfc_manifest = {                                       \
      .magic = TFC_MANIFEST_MAGIC,                                             \
      .version = TFC_MANIFEST_VERSION,                                         \
      .model_type = "fake",                                                    \
      .vocab_size = 8,                                                         \
      .hidden_size = 4,                                                        \
      .num_layers = 1,                                                         \
      .base_model_prefix = "",                                                 \
      .kv_dtype = TFC_MANIFEST_F32,                                            \
      .num_kv_caches = 1,                                                      \
      .kv_caches = kv_caches,                                                  \
      .num_weights = 3,                                                        \
      .weights = weights,                                                      \
      .num_optional = 1,                                                       \
      .optional = optional,                                                    \
      __VA_ARGS__}
/* One bad weight record as the only weight. */
#define BAD_WEIGHT(...)                                                        \
  static const tfc_manifest_weight_v4 bad[] = {__VA_ARGS__};                   \
  TABLE(.num_weights = 1, .weights = bad, .num_optional = 0)

#if FAKE_MANIFEST == 0
TABLE();
#elif FAKE_MANIFEST == 1 /* a library of tfc's text manifest (version 3) */
const char tfc_manifest[] = "tfc-manifest 3\nmodel fake\nend\n";
#elif FAKE_MANIFEST == 2 /* not a tfc table */
const char tfc_manifest[] = "ELF-ish garbage, no magic";
#elif FAKE_MANIFEST == 3 /* a later table version */
TABLE(.version = 5);
#elif FAKE_MANIFEST == 4 /* a count without its array */
TABLE(.weights = NULL);
#elif FAKE_MANIFEST == 5 /* a count past the bound */
TABLE(.num_kv_caches = INT64_C(1) << 40);
#elif FAKE_MANIFEST == 6 /* a zero dim */
BAD_WEIGHT({"embed.weight", TFC_MANIFEST_F32, 2, {8, 0}});
#elif FAKE_MANIFEST == 7 /* unknown weight dtype */
BAD_WEIGHT({"embed.weight", 7, 2, {8, 4}});
#elif FAKE_MANIFEST == 8 /* a name with a space */
BAD_WEIGHT({"embed weight", TFC_MANIFEST_F32, 2, {8, 4}});
#elif FAKE_MANIFEST == 9 /* rank past TFC_MANIFEST_MAX_RANK */
BAD_WEIGHT({"embed.weight", TFC_MANIFEST_F32, 9, {8, 4}});
#elif FAKE_MANIFEST == 10 /* negative window */
static const tfc_manifest_kv_cache_v4 bad[] = {{4, -1}};
TABLE(.kv_caches = bad);
#elif FAKE_MANIFEST == 11 /* trained context above the position limit */
TABLE(.trained_context = 32, .position_limit = 16);
#elif FAKE_MANIFEST == 12 /* unknown kv_dtype */
TABLE(.kv_dtype = 0);
#elif FAKE_MANIFEST == 13 /* an optional tensor that is also a weight */
static const char *const bad[] = {"norm.weight"};
TABLE(.optional = bad);
#elif FAKE_MANIFEST == 14 /* two weights of one name */
static const tfc_manifest_weight_v4 bad[] = {
    {"embed.weight", TFC_MANIFEST_F32, 2, {8, 4}},
    {"embed.weight", TFC_MANIFEST_F32, 2, {8, 4}},
};
TABLE(.num_weights = 2, .weights = bad);
#elif FAKE_MANIFEST == 15 /* a dim past the rank */
BAD_WEIGHT({"embed.weight", TFC_MANIFEST_F32, 1, {8, 4}});
#elif FAKE_MANIFEST == 16 /* vocab_size 0 */
TABLE(.vocab_size = 0);
#elif FAKE_MANIFEST == 17 /* no model_type */
TABLE(.model_type = NULL);
#elif FAKE_MANIFEST == 18 /* a name without its NUL within 4096 bytes */
static const char long_name[5000] = {[0 ... 4998] = 'x'};
static const char *const bad[] = {long_name};
TABLE(.optional = bad);
#elif FAKE_MANIFEST == 20 /* full-model names under base_model_prefix */
static const tfc_manifest_weight_v4 prefixed[] = {
    {"model.embed.weight", TFC_MANIFEST_F32, 2, {8, 4}},
    {"model.norm.weight", TFC_MANIFEST_BF16, 1, {4}},
    {"head.weight", TFC_MANIFEST_F32, 2, {8, 4}},
};
static const char *const spare[] = {"model.spare.weight"};
TABLE(.base_model_prefix = "model.", .weights = prefixed, .optional = spare);
#elif FAKE_MANIFEST == 21 /* a learned position table of 16 rows */
TABLE(.position_limit = 16, .num_optional = 0);
#elif FAKE_MANIFEST == 22 /* trained on 8 positions, no position table */
TABLE(.trained_context = 8, .num_optional = 0);
#elif FAKE_MANIFEST == 23 /* KV layout only (never run): bf16, two caches */
TABLE(.kv_dtype = TFC_MANIFEST_BF16, .num_kv_caches = 2, .num_optional = 0);
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

/* One decode step of n sequences (ABI.md): sequence j's caches at byte
 * kv_offsets[j] of the pool; its token and logits row j. */
void _mlir_ciface_tfc_decode_batch(MemRef1D_i8 *weights, MemRef1D_i64 *offsets,
                                   MemRef1D_i8 *pool, MemRef1D_i64 *tokens,
                                   MemRef1D_i64 *positions,
                                   MemRef1D_i64 *kv_offsets,
                                   int64_t max_context, MemRef2D_f32 *logits) {
  int64_t n = tokens->sizes[0];
  expect(n >= 1 && positions->sizes[0] == n && kv_offsets->sizes[0] == n &&
             logits->sizes[0] == n,
         "batch descriptors disagree on n");
  for (int64_t j = 0; j < n; ++j) {
    int64_t at = kv_offsets->aligned[j];
    expect(at >= 0 && at % 64 == 0 &&
               at + kv_bytes(max_context) <= pool->sizes[0],
           "a sequence's caches outside the pool");
    MemRef1D_i8 kv = {pool->aligned + at, pool->aligned + at, 0,
                      {kv_bytes(max_context)}, {1}};
    MemRef1D_i64 token = {tokens->aligned + j, tokens->aligned + j, 0, {1}, {1}};
    MemRef2D_f32 row = {logits->aligned + j * kVocab,
                        logits->aligned + j * kVocab, 0, {1, kVocab},
                        {kVocab, 1}};
    run(weights, offsets, &kv, &token, positions->aligned[j], max_context, &row,
        1, 0);
  }
}
