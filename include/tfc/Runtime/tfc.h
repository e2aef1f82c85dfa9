/* tfc.h - the C API of a model shared library compiled by tfc. */
/*
 * Every model .so built by tfc-compile exports these functions; the runtime
 * that implements them (lib/Runtime) is linked into the .so. The header is
 * C99 and C++ compatible. docs/runtime.md describes the behaviour in full.
 *
 * Errors: functions returning int give 0 on success and nonzero on failure;
 * functions returning a pointer give NULL, and functions returning int64_t a
 * negative value. tfc_last_error() then holds a readable message for the
 * calling thread. A successful call does not clear it.
 *
 * Threads: a tfc_model is not thread-safe; distinct models may be used from
 * distinct threads. The manifest functions are thread-safe.
 */
#ifndef TFC_RUNTIME_TFC_H
#define TFC_RUNTIME_TFC_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define TFC_API __attribute__((visibility("default")))
#else
#define TFC_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A model instance: bound weights, a KV cache of max_context positions and
 * the logits of the last prefill or decode. */
typedef struct tfc_model tfc_model;

/* Message of the last failed call on this thread ("" if none yet). */
TFC_API const char *tfc_last_error(void);

/* Creates a model with a zeroed KV cache for max_context positions. The
 * weights must be bound before the first prefill. NULL on failure (malformed
 * manifest, max_context <= 0, out of memory). */
TFC_API tfc_model *tfc_model_create(int64_t max_context);

/* Frees the model; NULL is a no-op. */
TFC_API void tfc_model_destroy(tfc_model *model);

/* Binds a checkpoint: path is a directory holding model.safetensors or
 * model.safetensors.index.json, a .safetensors file, or an index .json file.
 * Every tensor is checked against the manifest first; the error message lists
 * every missing, unexpected, wrongly shaped and wrongly typed tensor. F16 and
 * BF16 tensors are converted to f32. A successful bind empties the KV cache;
 * a failed one leaves the model as it was. */
TFC_API int tfc_model_bind_weights(tfc_model *model, const char *path);

/* Runs tokens[0..n) at positions position()..position()+n and appends them
 * to the KV cache, so prefill after prefill continues the sequence. Fails,
 * changing nothing, when the weights are not bound, n <= 0, a token id is
 * outside [0, vocab_size) or position() + n > max_context. */
TFC_API int tfc_model_prefill(tfc_model *model, const int64_t *tokens,
                              int64_t n);

/* tfc_model_prefill that computes only the last position's logits
 * ([1, vocab_size]): all that generation needs, and cheaper by the LM head
 * of the other n - 1 positions. Same checks and same cache update. */
TFC_API int tfc_model_prefill_last(tfc_model *model, const int64_t *tokens,
                                   int64_t n);

/* Runs one token at position(); same checks as tfc_model_prefill. */
TFC_API int tfc_model_decode(tfc_model *model, int64_t token);

/* Logits of the last successful prefill ([n, vocab_size] row-major),
 * prefill_last or decode ([1, vocab_size]); *n_rows (if n_rows is not NULL)
 * receives the row count.
 * NULL with *n_rows = 0 before the first call and after a reset. The pointer
 * stays valid until the next prefill, decode, reset or destroy. */
TFC_API const float *tfc_model_logits(tfc_model *model, int64_t *n_rows);

/* Number of tokens in the KV cache: the position of the next token. */
TFC_API int64_t tfc_model_position(const tfc_model *model);

/* The max_context given to tfc_model_create. */
TFC_API int64_t tfc_model_max_context(const tfc_model *model);

/* Bytes of the model's KV caches for its max_context: every layer keeps a
 * row of keys and values per position, a sliding-window layer only for the
 * last `window` positions (a ring). */
TFC_API int64_t tfc_model_kv_cache_bytes(const tfc_model *model);

/* The model's vocabulary size (from the manifest). */
TFC_API int64_t tfc_model_vocab_size(const tfc_model *model);

/* Empties the KV cache (position 0) and drops the logits; weights stay. */
TFC_API void tfc_model_reset(tfc_model *model);

/* OpenMP team size of every later prefill and decode, process-wide; n <= 0
 * means one thread per processor (omp_get_num_procs()). */
TFC_API void tfc_model_set_threads(int n);

/* The manifest the compiler embedded in the library (docs/ABI.md). These
 * return NULL or -1 when the manifest is malformed or an index is out of
 * range; tfc_last_error() says why. */
TFC_API const char *tfc_manifest_text(void);
TFC_API const char *tfc_manifest_model_type(void);
TFC_API int64_t tfc_manifest_vocab_size(void);
TFC_API int64_t tfc_manifest_hidden_size(void);
TFC_API int64_t tfc_manifest_num_layers(void);
TFC_API int64_t tfc_manifest_arena_bytes(void);
/* One KV cache per layer: floats per cached position, and the sliding window
 * (0: the layer keeps every position) of cache i (0 <= i < num_kv_caches). */
TFC_API int64_t tfc_manifest_num_kv_caches(void);
TFC_API int64_t tfc_manifest_kv_cache_floats_per_token(int64_t i);
TFC_API int64_t tfc_manifest_kv_cache_window(int64_t i);
TFC_API int64_t tfc_manifest_num_weights(void);
/* Weight i (0 <= i < num_weights), in arena order. */
TFC_API const char *tfc_manifest_weight_name(int64_t i);
/* Element type in the arena ("f32"); checkpoints may also hold F16/BF16. */
TFC_API const char *tfc_manifest_weight_dtype(int64_t i);
TFC_API int64_t tfc_manifest_weight_rank(int64_t i);
TFC_API int64_t tfc_manifest_weight_dim(int64_t i, int64_t d);
TFC_API int64_t tfc_manifest_weight_offset(int64_t i);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFC_RUNTIME_TFC_H */
