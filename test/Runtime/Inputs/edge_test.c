/* Drives a compiled model through the C API at the edges of its buffers
 * (generated-code-edges.test): the last position of the context, chunks of
 * one, a sliding window exactly full, chunks that wrap the KV ring (and
 * prefills longer than the window, which the runtime runs in chunks), a
 * wrapped ring's rewind, the smallest and largest token ids, and a full
 * context refusing more. Every
 * way of feeding the same tokens must give the logits of one whole
 * prefill (1e-4 x max|logit|: the same f32 math, summed in other orders).
 * Token arrays end at an inaccessible page and the runtime's KV caches and
 * logits end at guard pages, so a read or write past any of them faults
 * instead of passing unseen (under ASan, in the sanitizer build, too).
 * Usage: edge_test WEIGHTS_DIR MAX_CONTEXT */
#define _DEFAULT_SOURCE
#include "tfc/Runtime/tfc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int checks, failures;
#define EXPECT(cond)                                                           \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      printf("FAIL line %d: %s (%s)\n", __LINE__, #cond, tfc_last_error());   \
    }                                                                          \
  } while (0)

static int64_t *guardedEnd; /* one past the last byte before a PROT_NONE page */

/* tokens[from..from+n) copied so that the last one ends at the guard page. */
static const int64_t *guarded(const int64_t *tokens, int64_t from, int64_t n) {
  int64_t *p = guardedEnd - n;
  memcpy(p, tokens + from, (size_t)n * sizeof(int64_t));
  return p;
}

static float *ref;
static int64_t vocab;
static float tolerance;

/* Compares the session's logits (rows for positions first..) with ref. */
static void compare(tfc_session *s, int64_t first, int64_t rows,
                    const char *what) {
  int64_t n = 0;
  const float *logits = tfc_session_logits(s, &n);
  EXPECT(logits && n == rows);
  if (!logits || n != rows)
    return;
  float worst = 0;
  for (int64_t i = 0; i < rows * vocab; ++i)
    worst = fmaxf(worst, fabsf(logits[i] - ref[first * vocab + i]));
  if (!(worst <= tolerance))
    printf("FAIL %s: max abs error %g > %g\n", what, worst, tolerance);
  EXPECT(worst <= tolerance);
}

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  int64_t maxContext = atoll(argv[2]);
  long page = sysconf(_SC_PAGESIZE);
  unsigned char *pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED || mprotect(pages + page, page, PROT_NONE))
    return 2;
  guardedEnd = (int64_t *)(pages + page);

  /* libomp's OMP_THREAD_LIMIT (the RUN line sets 2) bounds the team: the
   * runtime clamps instead of letting libomp abort (it did at 100000). */
  tfc_model_set_threads(100000);

  tfc_weights *weights = tfc_weights_load(argv[1]);
  EXPECT(weights);
  if (!weights)
    return 1;
  vocab = tfc_manifest_vocab_size();
  int64_t window = 0;
  for (int64_t i = 0; i < tfc_manifest_num_kv_caches(); ++i)
    if (tfc_manifest_kv_cache_window(i) > 0)
      window = tfc_manifest_kv_cache_window(i);
  EXPECT(window > 0 && maxContext > 2 * window + 2);
  printf("vocab %lld, window %lld, max_context %lld\n", (long long)vocab,
         (long long)window, (long long)maxContext);

  int64_t *tokens = malloc((size_t)maxContext * sizeof(int64_t));
  for (int64_t i = 0; i < maxContext; ++i)
    tokens[i] = (i * 37 + 11) % vocab;
  tokens[0] = 0;                  /* the smallest id */
  tokens[maxContext - 1] = vocab - 1; /* the largest, at the last position */

  /* The reference: one prefill filling the whole context. */
  tfc_session *whole = tfc_session_create(weights, maxContext);
  EXPECT(whole && tfc_session_max_context(whole) == maxContext);
  EXPECT(tfc_session_prefill(whole, guarded(tokens, 0, maxContext),
                             maxContext) == 0);
  EXPECT(tfc_session_position(whole) == maxContext);
  int64_t rows = 0;
  const float *logits = tfc_session_logits(whole, &rows);
  EXPECT(logits && rows == maxContext);
  if (!logits)
    return 1;
  ref = malloc((size_t)(maxContext * vocab) * sizeof(float));
  memcpy(ref, logits, (size_t)(maxContext * vocab) * sizeof(float));
  float largest = 0;
  for (int64_t i = 0; i < maxContext * vocab; ++i)
    largest = fmaxf(largest, fabsf(ref[i]));
  tolerance = 1e-4f * largest;

  /* A full context refuses one more token, and changes nothing. */
  EXPECT(tfc_session_decode(whole, 1) != 0);
  EXPECT(tfc_session_prefill(whole, guarded(tokens, 0, 1), 1) != 0);
  EXPECT(tfc_session_position(whole) == maxContext);

  /* Chunks of one: decode every position, the ring wrapping several times. */
  tfc_session *s = tfc_session_create(weights, maxContext);
  for (int64_t i = 0; i < maxContext; ++i) {
    EXPECT(tfc_session_decode(s, tokens[i]) == 0);
    compare(s, i, 1, "decode");
  }
  EXPECT(tfc_session_decode(s, 0) != 0);

  /* Prefill chunks of one through the prefill entry. */
  tfc_session_reset(s);
  for (int64_t i = 0; i < maxContext; ++i) {
    EXPECT(tfc_session_prefill(s, guarded(tokens, i, 1), 1) == 0);
    compare(s, i, 1, "prefill of one");
  }

  /* The window exactly full, then decode past it. */
  tfc_session_reset(s);
  EXPECT(tfc_session_prefill(s, guarded(tokens, 0, window), window) == 0);
  compare(s, 0, window, "prefill of exactly the window");
  for (int64_t i = window; i < maxContext; ++i) {
    EXPECT(tfc_session_decode(s, tokens[i]) == 0);
    compare(s, i, 1, "decode after a full window");
  }

  /* Chunks that cross the ring's end: window - 1, then window + 2, then the
   * rest, the last chunk ending at the context's last position. */
  tfc_session_reset(s);
  int64_t a = window - 1, b = window + 2, c = maxContext - a - b;
  EXPECT(tfc_session_prefill(s, guarded(tokens, 0, a), a) == 0);
  compare(s, 0, a, "chunk 1");
  EXPECT(tfc_session_prefill(s, guarded(tokens, a, b), b) == 0);
  compare(s, a, b, "chunk 2 (wraps the ring)");
  EXPECT(tfc_session_prefill(s, guarded(tokens, a + b, c), c) == 0);
  compare(s, a + b, c, "chunk 3 (to the last position)");

  /* The ring (2 window - 1 rows) has wrapped: it rewinds by its window at
   * most, refusing more and changing nothing; prefill after the rewind is
   * again that of one whole prefill. */
  EXPECT(tfc_session_truncate(s, maxContext - window - 1) != 0);
  EXPECT(tfc_session_position(s) == maxContext);
  EXPECT(tfc_session_truncate(s, maxContext - window) == 0);
  EXPECT(tfc_session_prefill(s, guarded(tokens, maxContext - window, window),
                             window) == 0);
  compare(s, maxContext - window, window, "prefill after rewinding a window");

  /* prefill_last for the last position of the context. */
  tfc_session_reset(s);
  EXPECT(tfc_session_prefill(s, guarded(tokens, 0, maxContext - 1),
                             maxContext - 1) == 0);
  EXPECT(tfc_session_prefill_last(s, guarded(tokens, maxContext - 1, 1), 1) ==
         0);
  compare(s, maxContext - 1, 1, "prefill_last at the last position");
  tfc_session_reset(s);
  EXPECT(tfc_session_prefill_last(s, guarded(tokens, 0, maxContext),
                                  maxContext) == 0);
  compare(s, maxContext - 1, 1, "prefill_last of the whole context");

  /* Token ids just outside the vocabulary are refused before any run. */
  EXPECT(tfc_session_decode(s, vocab) != 0);
  EXPECT(tfc_session_decode(s, -1) != 0);

  /* A context of one position: prefill of one, then full. */
  tfc_session *one = tfc_session_create(weights, 1);
  EXPECT(one && tfc_session_prefill(one, guarded(tokens, 0, 1), 1) == 0);
  compare(one, 0, 1, "context of one");
  EXPECT(tfc_session_decode(one, 0) != 0);

  tfc_session_destroy(one);
  tfc_session_destroy(s);
  tfc_session_destroy(whole);
  tfc_weights_destroy(weights);
  free(ref);
  free(tokens);
  printf("edge_test: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
