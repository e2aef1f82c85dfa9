/* tfc.h - the C API of a model shared library compiled by tfc. */
/*
 * Every model .so built by tfc-compile exports these functions; the runtime
 * that implements them (lib/Runtime) is linked into the .so. The header is
 * C99 and C++ compatible. docs/runtime.md describes the behaviour in full.
 *
 * Two objects: a tfc_weights is a checkpoint bound to the model (its files
 * mapped read-only, plus the tensors that had to be converted), usually one
 * per process; a tfc_session is one sequence on a tfc_weights (KV cache,
 * position, logits). Any number of sessions may share one tfc_weights. The
 * older tfc_model is one tfc_weights plus one tfc_session.
 *
 * Errors: functions returning int give 0 on success and nonzero on failure;
 * functions returning a pointer give NULL, and functions returning int64_t a
 * negative value. tfc_last_error() then holds a readable message for the
 * calling thread. A successful call does not clear it.
 *
 * Threads:
 *  - A tfc_weights is immutable once tfc_weights_load returns. Every function
 *    taking a const tfc_weights * (tfc_session_create included) may be called
 *    on the same weights from any number of threads at once.
 *    tfc_weights_destroy must not run concurrently with another call on the
 *    same handle.
 *  - A tfc_session (and a tfc_model) is used by one thread at a time: calls
 *    on one session must not overlap (the caller serialises them), but may
 *    come from different threads one after another. Distinct sessions may be
 *    used concurrently from distinct threads, also when they share weights.
 *  - tfc_model_set_threads, the tfc_manifest_* functions and tfc_last_error
 *    may be called from any thread at any time.
 *
 * Lifetime: a session keeps its weights alive. tfc_weights_destroy releases
 * the caller's handle; the mappings are released when the last session
 * created on them is destroyed as well, so destroy order is free.
 *
 * Context: max_context <= 0 asks for the default, the model's trained
 * context length capped at 4096 positions (4096 when the length is unknown;
 * see tfc_manifest_default_max_context). A model with a learned position
 * table (tfc_manifest_position_limit() > 0) refuses any max_context above
 * that limit. A max_context above the trained length of a model without
 * such a table is allowed; tfc_session_beyond_trained_context() reports it.
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

typedef struct tfc_weights tfc_weights;
typedef struct tfc_session tfc_session;
/* A model instance: its own weights, a KV cache of max_context positions and
 * the logits of the last prefill or decode. */
typedef struct tfc_model tfc_model;

/* Message of the last failed call on this thread ("" if none yet). */
TFC_API const char *tfc_last_error(void);

/* ---- Weights ----------------------------------------------------------- */

/* Binds a checkpoint: path is a directory holding model.safetensors or
 * model.safetensors.index.json, a .safetensors file, or an index .json file.
 * Every tensor is checked against the manifest first; the error message lists
 * every missing, unexpected, wrongly shaped and wrongly typed tensor. A
 * checkpoint saved from the base model (names without the manifest's
 * base_model_prefix) binds too. Tensors stored in the dtype the model reads
 * are read in place from the mapped files; F32, F16 and BF16 tensors of
 * another dtype (or not aligned to their element size) are converted once,
 * rounding to nearest even, and a note saying so is printed on stderr (see
 * tfc_weights_note). NULL on failure. */
TFC_API tfc_weights *tfc_weights_load(const char *path);

/* As tfc_weights_load, but every tensor is copied into memory of the
 * process's own (transparent huge pages where the kernel allows), those the
 * model could read in place too: a decode step then streams the weights
 * from 2 MiB pages instead of the page cache's 4 KiB ones (docs/runtime.md
 * has the figures). Costs the weights' size in anonymous memory and a copy
 * at load; the note says how many tensors were copied. */
TFC_API tfc_weights *tfc_weights_load_copied(const char *path);

/* Releases the handle (see Lifetime above); NULL is a no-op. */
TFC_API void tfc_weights_destroy(tfc_weights *weights);

/* Bytes of the checkpoint files mapped (the sum of their sizes). */
TFC_API int64_t tfc_weights_bytes_mapped(const tfc_weights *weights);
/* Bytes of the tensors converted or copied at load (in the model's dtype). */
TFC_API int64_t tfc_weights_bytes_copied(const tfc_weights *weights);
/* Bytes of memory allocated for those copies (page-rounded). */
TFC_API int64_t tfc_weights_bytes_allocated(const tfc_weights *weights);
/* Number of tensors converted or copied at load. */
TFC_API int64_t tfc_weights_tensors_copied(const tfc_weights *weights);
/* The note printed at load, without the "tfc: note: " prefix, e.g.
 * "converted 2 tensors from BF16 to f32 (256 B copied); compile with
 * --weight-dtype=bf16 to read them in place"; "" when every tensor is read
 * in place. Valid as long as the weights. */
TFC_API const char *tfc_weights_note(const tfc_weights *weights);

/* ---- Sessions ---------------------------------------------------------- */

/* Creates a session with a zeroed KV cache for max_context positions (<= 0:
 * the default). NULL on failure (weights NULL, malformed manifest,
 * max_context above the model's position limit, out of memory). */
TFC_API tfc_session *tfc_session_create(const tfc_weights *weights,
                                        int64_t max_context);

/* Frees the session; NULL is a no-op. */
TFC_API void tfc_session_destroy(tfc_session *session);

/* Runs tokens[0..n) at positions position()..position()+n and appends them
 * to the KV cache, so prefill after prefill continues the sequence. Fails,
 * changing nothing, when n <= 0, a token id is outside [0, vocab_size) or
 * position() + n > max_context. */
TFC_API int tfc_session_prefill(tfc_session *session, const int64_t *tokens,
                                int64_t n);

/* tfc_session_prefill that computes only the last position's logits
 * ([1, vocab_size]): all that generation needs, and cheaper by the LM head
 * of the other n - 1 positions. Same checks and same cache update. */
TFC_API int tfc_session_prefill_last(tfc_session *session,
                                     const int64_t *tokens, int64_t n);

/* Runs one token at position(); same checks as tfc_session_prefill. */
TFC_API int tfc_session_decode(tfc_session *session, int64_t token);

/* Logits of the last successful prefill ([n, vocab_size] row-major),
 * prefill_last or decode ([1, vocab_size]); *n_rows (if n_rows is not NULL)
 * receives the row count.
 * NULL with *n_rows = 0 before the first call and after a reset. The pointer
 * stays valid until the next prefill, decode, reset or destroy. */
TFC_API const float *tfc_session_logits(tfc_session *session, int64_t *n_rows);

/* Number of tokens in the KV cache: the position of the next token. */
TFC_API int64_t tfc_session_position(const tfc_session *session);

/* The session's max_context (the default resolved when 0 was asked). */
TFC_API int64_t tfc_session_max_context(const tfc_session *session);

/* 1 if max_context exceeds the model's trained context length (allowed, but
 * quality past that length is not what the model was trained for), else 0;
 * -1 for NULL. */
TFC_API int tfc_session_beyond_trained_context(const tfc_session *session);

/* Bytes of the session's KV caches for its max_context: every layer keeps a
 * row of keys and values per position, a sliding-window layer a ring of
 * 2 * window - 1 rows (its window and the rows one call of at most `window`
 * tokens appends); each cache starts at a multiple of 64. */
TFC_API int64_t tfc_session_kv_cache_bytes(const tfc_session *session);

/* Bytes the session has allocated: the KV caches plus the logits buffer
 * (which grows to the largest prefill). */
TFC_API int64_t tfc_session_bytes_allocated(const tfc_session *session);

/* Empties the KV cache (position 0) and drops the logits. */
TFC_API void tfc_session_reset(tfc_session *session);

/* Keeps the first n positions of the KV cache (position() becomes n) and
 * drops the logits, as if only those tokens had been run: to rewind a
 * sequence (re-generate, edit the end of a chat, repeat a benchmark at a
 * depth). Fails, changing nothing, when n is outside [0, position()] or a
 * sliding-window layer's ring has overwritten a row that positions from n
 * on would attend to (once position() exceeds a ring's R rows, it rewinds
 * by one position at most). */
TFC_API int tfc_session_truncate(tfc_session *session, int64_t n);

/* ---- Batches: sessions decoded together -------------------------------- */

/* A tfc_batch is num_sessions sessions on one tfc_weights whose KV caches lie
 * in one buffer, so that tfc_batch_decode runs one token of each of several
 * of them in one call: the projections, the MLP and the LM head read every
 * weight once for all of them (decode is bound by reading the weights), and
 * only attention runs per session. Each session is a tfc_session as any
 * other (prefill, decode, logits, truncate, reset, ...), owned by the batch.
 * Calls on a batch and on its sessions must not overlap (one thread at a
 * time, as for one session); distinct batches may run concurrently. */
typedef struct tfc_batch tfc_batch;

/* Creates num_sessions (1 to 4096) sessions with zeroed KV caches of
 * max_context positions each (<= 0: the default). NULL on failure (as
 * tfc_session_create, or num_sessions out of range). */
TFC_API tfc_batch *tfc_batch_create(const tfc_weights *weights,
                                    int64_t num_sessions, int64_t max_context);

/* Frees the batch and its sessions; NULL is a no-op. */
TFC_API void tfc_batch_destroy(tfc_batch *batch);

/* Number of sessions; -1 for NULL. */
TFC_API int64_t tfc_batch_size(const tfc_batch *batch);

/* Session i (0 <= i < size) of the batch, valid until tfc_batch_destroy;
 * tfc_session_destroy on it does nothing. NULL when i is out of range. */
TFC_API tfc_session *tfc_batch_session(tfc_batch *batch, int64_t i);

/* One decode step of n sessions: session sessions[j] runs tokens[j] at its
 * position, for j in [0, n), with the result tfc_session_decode would give
 * (up to the rounding of a different summation order); afterwards
 * tfc_session_logits of each holds its [1, vocab_size] row. Fails, changing
 * nothing, when n is outside [1, size], an index is out of range or
 * repeated, or a session's tfc_session_decode would fail (its token id out
 * of range, its cache full). */
TFC_API int tfc_batch_decode(tfc_batch *batch, const int64_t *sessions,
                             const int64_t *tokens, int64_t n);

/* ---- Models: one tfc_weights and one tfc_session ------------------------ */

/* Creates a model with a zeroed KV cache for max_context positions (<= 0:
 * the default). The weights must be bound before the first prefill. NULL on
 * failure (malformed manifest, max_context above the position limit, out of
 * memory). */
TFC_API tfc_model *tfc_model_create(int64_t max_context);

/* Frees the model; NULL is a no-op. */
TFC_API void tfc_model_destroy(tfc_model *model);

/* tfc_weights_load into the model: a success replaces its weights and
 * empties the KV cache; a failure leaves the model as it was. */
TFC_API int tfc_model_bind_weights(tfc_model *model, const char *path);

/* As the tfc_session_* functions; prefill and decode also fail when no
 * weights are bound. */
TFC_API int tfc_model_prefill(tfc_model *model, const int64_t *tokens,
                              int64_t n);
TFC_API int tfc_model_prefill_last(tfc_model *model, const int64_t *tokens,
                                   int64_t n);
TFC_API int tfc_model_decode(tfc_model *model, int64_t token);
TFC_API const float *tfc_model_logits(tfc_model *model, int64_t *n_rows);
TFC_API int64_t tfc_model_position(const tfc_model *model);
TFC_API int64_t tfc_model_max_context(const tfc_model *model);
TFC_API int64_t tfc_model_kv_cache_bytes(const tfc_model *model);
/* The model's vocabulary size (from the manifest). */
TFC_API int64_t tfc_model_vocab_size(const tfc_model *model);
/* Empties the KV cache (position 0) and drops the logits; weights stay. */
TFC_API void tfc_model_reset(tfc_model *model);

/* The most threads tfc_model_set_threads accepts: above every machine's
 * hardware threads (more only oversubscribe the cores), and low enough that
 * libomp can create the team (100000 threads abort inside libomp). */
#define TFC_MAX_THREADS 1024

/* OpenMP team size of every later prefill and decode of every session,
 * process-wide; n <= 0 means one thread per processor (omp_get_num_procs()).
 * A larger n is clamped to TFC_MAX_THREADS and to libomp's thread limit
 * (omp_get_thread_limit(), OMP_THREAD_LIMIT); the function cannot fail.
 */
TFC_API void tfc_model_set_threads(int n);

/* Where the library runs the model: "cpu", or "cuda" for a library compiled
 * with --target=cuda, whose kernels run on an NVIDIA GPU through the CUDA
 * driver (libcuda.so.1, loaded by the first tfc_weights_load; device 0, or
 * $TFC_CUDA_DEVICE). There the weights are copied to the GPU when loaded,
 * each session's KV cache lives on the GPU, and the logits are copied back
 * after each call; a CUDA failure is a call's error, naming the driver
 * function that failed. tfc_model_set_threads has no effect on it. */
TFC_API const char *tfc_model_device(void);

/* ---- The manifest the compiler embedded in the library (docs/ABI.md) ---- */
/* These return NULL or -1 when the manifest is malformed or an index is out
 * of range; tfc_last_error() says why. */
TFC_API const char *tfc_manifest_text(void);
TFC_API const char *tfc_manifest_model_type(void);
TFC_API int64_t tfc_manifest_vocab_size(void);
TFC_API int64_t tfc_manifest_hidden_size(void);
TFC_API int64_t tfc_manifest_num_layers(void);
/* The config's trained context length; 0: unknown. */
TFC_API int64_t tfc_manifest_trained_context(void);
/* Most positions the model can address (rows of a learned position table);
 * 0: no limit. */
TFC_API int64_t tfc_manifest_position_limit(void);
/* The max_context of a session created with max_context <= 0. */
TFC_API int64_t tfc_manifest_default_max_context(void);
/* "model.", "transformer.", ...; "" when the family has none. */
TFC_API const char *tfc_manifest_base_model_prefix(void);
/* Element type of the KV caches: "f32", "bf16" or "f16". */
TFC_API const char *tfc_manifest_kv_dtype(void);
/* One KV cache per layer: kv_dtype elements per cached position, and the
 * sliding window (0: the layer keeps every position) of cache i
 * (0 <= i < num_kv_caches). */
TFC_API int64_t tfc_manifest_num_kv_caches(void);
TFC_API int64_t tfc_manifest_kv_cache_elements_per_token(int64_t i);
TFC_API int64_t tfc_manifest_kv_cache_window(int64_t i);
/* Weight i (0 <= i < num_weights), in the order of the offsets table. */
TFC_API int64_t tfc_manifest_num_weights(void);
TFC_API const char *tfc_manifest_weight_name(int64_t i);
/* Element type the model reads: "f32", "bf16" or "f16". */
TFC_API const char *tfc_manifest_weight_dtype(int64_t i);
TFC_API int64_t tfc_manifest_weight_rank(int64_t i);
TFC_API int64_t tfc_manifest_weight_dim(int64_t i, int64_t d);
/* Tensors a checkpoint may hold that the model does not read. */
TFC_API int64_t tfc_manifest_num_optional(void);
TFC_API const char *tfc_manifest_optional_name(int64_t i);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TFC_RUNTIME_TFC_H */
