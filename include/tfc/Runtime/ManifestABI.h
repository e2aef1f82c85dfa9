/* ManifestABI.h - the layout of tfc_manifest, the compiled model's table. */
/*
 * tfc-create-entry-points emits `tfc_manifest` as a constant of this layout
 * (LLVM dialect globals) and the runtime reads it by casting the symbol:
 * one declaration for both sides, no text format between them. docs/ABI.md
 * describes every field. C99 and C++ compatible, so stand-in model objects
 * in the tests can define a table too.
 *
 * Every field is 8 bytes (int64_t, a pointer, or the char[8] magic), so the
 * layout has no padding on a 64-bit target; the compiler checks its LLVM
 * struct types against these offsets. A change to any record is a new
 * TFC_MANIFEST_VERSION.
 */
#ifndef TFC_RUNTIME_MANIFESTABI_H
#define TFC_RUNTIME_MANIFESTABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The first 8 bytes of the table (7 characters and a NUL). A text manifest
 * of tfc's version 1-3 starts "tfc-manifest <version>" instead. */
#define TFC_MANIFEST_MAGIC "TFC-MFT"
#define TFC_MANIFEST_VERSION 4
/* Weight dims stored inline per record. */
#define TFC_MANIFEST_MAX_RANK 8

/* Element types of weights and KV caches; 0 is invalid, so that a zeroed
 * record is refused. */
enum {
  TFC_MANIFEST_F32 = 1,
  TFC_MANIFEST_BF16 = 2,
  TFC_MANIFEST_F16 = 3,
  /* Weights only: a [rows, cols] matrix quantized in blocks of 32 along its
   * rows (tfc-compile --quantize=q8_0): rows * cols int8 values, row-major,
   * then at byte rows * cols the rows * cols / 32 f16 scales, row-major;
   * element (r, c) is value[r][c] * scale[r][c / 32]. */
  TFC_MANIFEST_Q8_0 = 4,
};

/* One layer's KV cache: elements_per_token kv_dtype elements per cached
 * position; window > 0: a ring of min(2 * window - 1, max_context) rows. */
typedef struct tfc_manifest_kv_cache_v4 {
  int64_t elements_per_token;
  int64_t window;
} tfc_manifest_kv_cache_v4;

/* One weight the model reads, in offsets-table order. */
typedef struct tfc_manifest_weight_v4 {
  const char *name; /* full-checkpoint tensor name, NUL-terminated */
  int64_t dtype;    /* TFC_MANIFEST_F32, _BF16, _F16 or _Q8_0 */
  int64_t rank;     /* 1 .. TFC_MANIFEST_MAX_RANK */
  int64_t shape[TFC_MANIFEST_MAX_RANK]; /* rank dims, then zeros */
} tfc_manifest_weight_v4;

typedef struct tfc_manifest_v4 {
  char magic[8];   /* TFC_MANIFEST_MAGIC */
  int64_t version; /* TFC_MANIFEST_VERSION */
  const char *model_type;
  int64_t vocab_size;
  int64_t hidden_size;
  int64_t num_layers;
  int64_t trained_context;       /* 0: unknown */
  int64_t position_limit;        /* 0: no limit */
  const char *base_model_prefix; /* "" when the family has none */
  int64_t kv_dtype;
  int64_t num_kv_caches;
  const tfc_manifest_kv_cache_v4 *kv_caches; /* NULL when none */
  int64_t num_weights;
  const tfc_manifest_weight_v4 *weights; /* NULL when none */
  int64_t num_optional;
  const char *const *optional; /* names; NULL when none */
} tfc_manifest_v4;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFC_RUNTIME_MANIFESTABI_H */
