/* api_test.c - drives tfc.h's C API on the fake model (C99, no C++). */
/*
 * Usage: api_test CKPT_DIR
 * with CKPT_DIR the output of make_safetensors.py. Prints "error: <message>" for every call that must fail, so the lit test
 * can check the messages, "FAIL: ..." for a broken expectation, and a final
 * "api_test: N checks, M failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "tfc/Runtime/tfc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Defined by fake_model.c: the OpenMP team size of this thread's last call. */
extern int fake_last_threads(void);

static int checks, failures;

#define EXPECT(cond)                                                           \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      printf("FAIL: line %d: %s\n", __LINE__, #cond);                          \
    }                                                                          \
  } while (0)

/* A call that must fail: print the error for FileCheck. */
#define EXPECT_FAIL(call)                                                      \
  do {                                                                         \
    EXPECT((call) != 0);                                                       \
    printf("error: %s\n", tfc_last_error());                                   \
  } while (0)

static void *readErrorInThread(void *arg) {
  *(const char **)arg = tfc_last_error();
  return NULL;
}

static int sameRow(const float *a, const float *b) {
  return memcmp(a, b, 8 * sizeof(float)) == 0;
}

static int64_t fileSize(const char *dir) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof(path), "%s/model.safetensors", dir);
  return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: api_test CKPT_DIR\n");
    return 2;
  }
  char weights[4096], missing[4096], native[4096];
  snprintf(weights, sizeof(weights), "%s/f32", argv[1]);
  snprintf(missing, sizeof(missing), "%s/missing", argv[1]);
  snprintf(native, sizeof(native), "%s/native", argv[1]);

  /* Manifest accessors. */
  EXPECT(strcmp(tfc_manifest_model_type(), "fake") == 0);
  EXPECT(tfc_manifest_vocab_size() == 8);
  EXPECT(tfc_manifest_hidden_size() == 4);
  EXPECT(tfc_manifest_num_layers() == 1);
  EXPECT(tfc_manifest_num_kv_caches() == 1);
  EXPECT(tfc_manifest_kv_cache_elements_per_token(0) == 4);
  EXPECT(tfc_manifest_kv_cache_window(0) == 0);
  EXPECT(strcmp(tfc_manifest_kv_dtype(), "f32") == 0);
  EXPECT(tfc_manifest_trained_context() == 0);
  EXPECT(tfc_manifest_position_limit() == 0);
  EXPECT(tfc_manifest_default_max_context() == 4096);
  EXPECT(strcmp(tfc_manifest_base_model_prefix(), "") == 0);
  EXPECT(tfc_manifest_num_optional() == 1);
  EXPECT(strcmp(tfc_manifest_optional_name(0), "head.bias") == 0);
  EXPECT(tfc_manifest_optional_name(1) == NULL);
  EXPECT(tfc_manifest_num_weights() == 3);
  EXPECT(strcmp(tfc_manifest_weight_name(1), "norm.weight") == 0);
  EXPECT(strcmp(tfc_manifest_weight_dtype(0), "f32") == 0);
  EXPECT(strcmp(tfc_manifest_weight_dtype(1), "bf16") == 0);
  EXPECT(tfc_manifest_weight_rank(1) == 1);
  EXPECT(tfc_manifest_weight_dim(1, 0) == 4);
  EXPECT(tfc_manifest_weight_rank(2) == 2);
  EXPECT(tfc_manifest_weight_dim(2, 0) == 8 &&
         tfc_manifest_weight_dim(2, 1) == 4);
  EXPECT(strcmp(tfc_manifest_text(),
                "tfc-manifest 4\nmodel fake\nvocab_size 8\nhidden_size 4\n"
                "num_layers 1\ncontext 0 0\nbase_model_prefix -\nkv_dtype f32\n"
                "kv_caches 1\nkv_cache 4 0\nweights 3\n"
                "weight embed.weight f32 8x4\nweight norm.weight bf16 4\n"
                "weight head.weight f32 8x4\noptional head.bias\nend\n") == 0);
  EXPECT(tfc_manifest_weight_name(3) == NULL);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_manifest_weight_dim(1, 1) == -1);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_manifest_kv_cache_window(1) == -1);
  printf("error: %s\n", tfc_last_error());

  /* Creation and calls before binding. max_context 0: the default. */
  tfc_model *defaulted = tfc_model_create(0);
  EXPECT(defaulted && tfc_model_max_context(defaulted) == 4096);
  EXPECT(tfc_model_kv_cache_bytes(defaulted) == 4096 * 16);
  tfc_model_destroy(defaulted);
  tfc_model *model = tfc_model_create(16);
  EXPECT(model != NULL);
  EXPECT(tfc_model_max_context(model) == 16);
  EXPECT(tfc_model_vocab_size(model) == 8);
  EXPECT(tfc_model_kv_cache_bytes(model) == 16 * 4 * (int64_t)sizeof(float));
  int64_t rows = -1;
  EXPECT(tfc_model_logits(model, &rows) == NULL && rows == 0);
  int64_t prompt[4] = {1, 2, 3, 4};
  EXPECT_FAIL(tfc_model_prefill(model, prompt, 4));
  EXPECT_FAIL(tfc_model_bind_weights(model, missing));
  EXPECT(tfc_model_bind_weights(model, weights) == 0);

  /* One prefill of four tokens. */
  EXPECT(tfc_model_prefill(model, prompt, 4) == 0);
  EXPECT(tfc_model_position(model) == 4);
  const float *logits = tfc_model_logits(model, &rows);
  EXPECT(logits != NULL && rows == 4);
  float full[4][8];
  memcpy(full, logits, sizeof(full));
  /* Token 1 at position 0 (worked out in run.test): 0 -0.5 3 -0.5 2 -2 2 0. */
  EXPECT(full[0][2] == 3.0f && full[0][4] == 2.0f && full[0][7] == 0.0f);

  /* The same tokens in pieces: the KV cache must carry the sequence. */
  tfc_model_reset(model);
  EXPECT(tfc_model_position(model) == 0);
  EXPECT(tfc_model_logits(model, &rows) == NULL && rows == 0);
  EXPECT(tfc_model_prefill(model, prompt, 2) == 0);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 2 && sameRow(logits, full[0]) && sameRow(logits + 8, full[1]));
  EXPECT(tfc_model_prefill(model, prompt + 2, 1) == 0);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[2]));
  EXPECT(tfc_model_decode(model, 4) == 0);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[3]));
  EXPECT(tfc_model_position(model) == 4);

  /* prefill_last: the same cache, only the last row of logits. */
  tfc_model_reset(model);
  EXPECT(tfc_model_prefill_last(model, prompt, 3) == 0);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[2]));
  EXPECT(tfc_model_decode(model, 4) == 0);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[3]));

  /* Failed calls change nothing. */
  EXPECT_FAIL(tfc_model_decode(model, 8));
  EXPECT_FAIL(tfc_model_decode(model, -3));
  int64_t bad[2] = {0, 9};
  EXPECT_FAIL(tfc_model_prefill(model, bad, 2));
  EXPECT_FAIL(tfc_model_prefill(model, prompt, 0));
  EXPECT_FAIL(tfc_model_prefill_last(model, bad, 2));
  EXPECT(tfc_model_position(model) == 4);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[3]));
  EXPECT_FAIL(tfc_model_bind_weights(model, missing));
  EXPECT(tfc_model_position(model) == 4);

  /* The error text is per thread. */
  const char *otherThreadError = NULL;
  pthread_t thread;
  EXPECT(pthread_create(&thread, NULL, readErrorInThread, &otherThreadError) ==
         0);
  pthread_join(thread, NULL);
  EXPECT(otherThreadError && otherThreadError[0] == '\0');
  EXPECT(tfc_last_error()[0] != '\0');

  /* Context limit: 16 positions. */
  int64_t twelve[12] = {0};
  EXPECT(tfc_model_prefill(model, twelve, 12) == 0);
  EXPECT(tfc_model_position(model) == 16);
  EXPECT_FAIL(tfc_model_decode(model, 1));
  tfc_model_reset(model);
  int64_t seventeen[17] = {0};
  EXPECT_FAIL(tfc_model_prefill(model, seventeen, 17));

  /* A successful rebind empties the cache. */
  EXPECT(tfc_model_prefill(model, prompt, 3) == 0);
  EXPECT(tfc_model_bind_weights(model, weights) == 0);
  EXPECT(tfc_model_position(model) == 0);

  /* Thread count reaches OpenMP in the calling thread. */
  tfc_model_set_threads(3);
  EXPECT(tfc_model_prefill(model, prompt, 1) == 0);
  EXPECT(fake_last_threads() == 3);
  tfc_model_set_threads(1);
  EXPECT(tfc_model_decode(model, 2) == 0);
  EXPECT(fake_last_threads() == 1);

  /* Two models keep separate caches. */
  tfc_model *other = tfc_model_create(8);
  EXPECT(other && tfc_model_bind_weights(other, weights) == 0);
  tfc_model_reset(model);
  EXPECT(tfc_model_prefill(model, prompt, 1) == 0);
  EXPECT(tfc_model_prefill(other, prompt + 2, 2) == 0);
  EXPECT(tfc_model_decode(model, 2) == 0);
  logits = tfc_model_logits(model, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[1]));
  tfc_model_destroy(other);

  /* Weights: read in place (native) or converted (f32: norm to bf16). */
  long page = sysconf(_SC_PAGESIZE);
  tfc_weights *inPlace = tfc_weights_load(native);
  EXPECT(inPlace != NULL);
  EXPECT(tfc_weights_bytes_mapped(inPlace) == fileSize(native));
  EXPECT(tfc_weights_bytes_copied(inPlace) == 0);
  EXPECT(tfc_weights_bytes_allocated(inPlace) == 0);
  EXPECT(tfc_weights_tensors_copied(inPlace) == 0);
  EXPECT(strcmp(tfc_weights_note(inPlace), "") == 0);
  tfc_weights *converted = tfc_weights_load(weights);
  EXPECT(converted != NULL);
  EXPECT(tfc_weights_bytes_mapped(converted) == fileSize(weights));
  EXPECT(tfc_weights_bytes_copied(converted) == 8);
  EXPECT(tfc_weights_bytes_allocated(converted) == page);
  EXPECT(tfc_weights_tensors_copied(converted) == 1);
  printf("note: %s\n", tfc_weights_note(converted));
  EXPECT(tfc_weights_load(missing) == NULL);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_weights_load(NULL) == NULL);
  printf("error: %s\n", tfc_last_error());
  /* Copied on request: every tensor, those read in place too; the same
   * logits. */
  tfc_weights *copied = tfc_weights_load_copied(native);
  EXPECT(copied != NULL);
  EXPECT(tfc_weights_tensors_copied(copied) == 3);
  EXPECT(tfc_weights_bytes_copied(copied) > 0);
  EXPECT(tfc_weights_bytes_allocated(copied) % page == 0);
  printf("note: %s\n", tfc_weights_note(copied));
  tfc_session *fromCopy = tfc_session_create(copied, 0);
  EXPECT(fromCopy && tfc_session_prefill(fromCopy, prompt, 4) == 0);
  logits = tfc_session_logits(fromCopy, &rows);
  EXPECT(rows == 4 && sameRow(logits, full[0]) && sameRow(logits + 24, full[3]));
  tfc_session_destroy(fromCopy);
  tfc_weights_destroy(copied);
  EXPECT(tfc_weights_load_copied(NULL) == NULL);
  printf("error: %s\n", tfc_last_error());

  /* Sessions: default context, sizes, the same logits as the model. */
  EXPECT(tfc_session_create(NULL, 0) == NULL);
  printf("error: %s\n", tfc_last_error());
  tfc_session *session = tfc_session_create(inPlace, 0);
  EXPECT(session != NULL);
  EXPECT(tfc_session_max_context(session) == 4096);
  EXPECT(tfc_session_beyond_trained_context(session) == 0);
  EXPECT(tfc_session_kv_cache_bytes(session) == 4096 * 16);
  EXPECT(tfc_session_bytes_allocated(session) == 4096 * 16 + 8 * 4);
  EXPECT(tfc_session_logits(session, &rows) == NULL && rows == 0);
  EXPECT(tfc_session_prefill(session, prompt, 4) == 0);
  EXPECT(tfc_session_bytes_allocated(session) == 4096 * 16 + 4 * 8 * 4);
  logits = tfc_session_logits(session, &rows);
  EXPECT(rows == 4 && memcmp(logits, full, sizeof(full)) == 0);
  tfc_session *fromConverted = tfc_session_create(converted, 8);
  EXPECT(fromConverted && tfc_session_prefill_last(fromConverted, prompt, 4) == 0);
  logits = tfc_session_logits(fromConverted, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[3]));
  /* A batch: sessions at positions 1, 2 and 3 decoded in one step, in any
   * order, give the rows of one prefill; errors change nothing. */
  tfc_batch *batch = tfc_batch_create(inPlace, 3, 8);
  EXPECT(batch && tfc_batch_size(batch) == 3);
  for (int64_t i = 0; i < 3; ++i)
    EXPECT(tfc_session_prefill(tfc_batch_session(batch, i), prompt, i + 1) == 0);
  int64_t order[3] = {2, 0, 1}, next[3] = {prompt[3], prompt[1], prompt[2]};
  EXPECT(tfc_batch_decode(batch, order, next, 3) == 0);
  for (int64_t i = 0; i < 3; ++i) {
    logits = tfc_session_logits(tfc_batch_session(batch, i), &rows);
    EXPECT(rows == 1 && sameRow(logits, full[i + 1]));
    EXPECT(tfc_session_position(tfc_batch_session(batch, i)) == i + 2);
  }
  int64_t twice[2] = {1, 1}, outside[1] = {3}, badToken[2] = {0, 99};
  EXPECT_FAIL(tfc_batch_decode(batch, twice, next, 2));
  EXPECT_FAIL(tfc_batch_decode(batch, outside, next, 1));
  EXPECT_FAIL(tfc_batch_decode(batch, order, badToken, 2));
  EXPECT_FAIL(tfc_batch_decode(batch, order, next, 4));
  EXPECT_FAIL(tfc_batch_decode(batch, NULL, next, 1));
  EXPECT_FAIL(tfc_batch_decode(NULL, order, next, 1));
  EXPECT(tfc_session_position(tfc_batch_session(batch, 0)) == 2);
  EXPECT(tfc_batch_session(batch, 3) == NULL);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_batch_create(inPlace, 0, 8) == NULL);
  printf("error: %s\n", tfc_last_error());
  /* A full cache: session 2 is at 8 after five more steps. */
  int64_t last[1] = {2}, one[1] = {1};
  for (int step = 0; step < 4; ++step)
    EXPECT(tfc_batch_decode(batch, last, one, 1) == 0);
  EXPECT_FAIL(tfc_batch_decode(batch, last, one, 1));
  /* A batch's session belongs to the batch. */
  tfc_session_destroy(tfc_batch_session(batch, 0));
  EXPECT(tfc_session_position(tfc_batch_session(batch, 0)) == 2);
  tfc_batch_destroy(batch);
  tfc_batch_destroy(NULL);

  /* The handle may go first: the sessions keep the weights. */
  tfc_weights_destroy(inPlace);
  tfc_weights_destroy(converted);
  tfc_session_reset(session);
  EXPECT(tfc_session_position(session) == 0);
  EXPECT(tfc_session_prefill(session, prompt, 3) == 0);
  EXPECT(tfc_session_decode(session, 4) == 0);
  logits = tfc_session_logits(session, &rows);
  EXPECT(rows == 1 && sameRow(logits, full[3]));
  EXPECT(tfc_session_position(session) == 4);
  /* Rewinding keeps the first n positions: the same logits as a session
   * that only ever ran them. */
  EXPECT(tfc_session_truncate(session, 2) == 0);
  EXPECT(tfc_session_position(session) == 2);
  EXPECT(tfc_session_logits(session, &rows) == NULL && rows == 0);
  EXPECT(tfc_session_prefill(session, prompt + 2, 2) == 0);
  logits = tfc_session_logits(session, &rows);
  EXPECT(rows == 2 && sameRow(logits, full[2]) && sameRow(logits + 8, full[3]));
  EXPECT(tfc_session_truncate(session, 5) != 0);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_session_truncate(session, -1) != 0);
  EXPECT(tfc_session_position(session) == 4);
  EXPECT(tfc_session_truncate(session, 0) == 0);
  EXPECT(tfc_session_position(session) == 0);
  tfc_session_reset(fromConverted);
  EXPECT(tfc_session_prefill(fromConverted, twelve, 9) != 0);
  printf("error: %s\n", tfc_last_error());
  tfc_session_destroy(fromConverted);
  tfc_session_destroy(session);
  EXPECT(tfc_session_decode(NULL, 1) != 0);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_session_position(NULL) == -1);
  EXPECT(tfc_weights_bytes_mapped(NULL) == -1);
  printf("error: %s\n", tfc_last_error());
  tfc_session_destroy(NULL);
  tfc_weights_destroy(NULL);

  /* NULL arguments are errors, not crashes. */
  EXPECT_FAIL(tfc_model_prefill(NULL, prompt, 1));
  EXPECT_FAIL(tfc_model_bind_weights(model, NULL));
  EXPECT(tfc_model_position(NULL) == -1);
  EXPECT(tfc_model_logits(NULL, &rows) == NULL && rows == 0);
  tfc_model_reset(NULL);
  tfc_model_destroy(NULL);

  tfc_model_destroy(model);
  printf("api_test: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
