/* api_test.c - drives tfc.h's C API on the fake model (C99, no C++). */
/*
 * Usage: api_test CHECKPOINT_DIR MISSING_TENSOR_DIR
 * Prints "error: <message>" for every call that must fail, so the lit test
 * can check the messages, "FAIL: ..." for a broken expectation, and a final
 * "api_test: N checks, M failed".
 */
#include "tfc/Runtime/tfc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Defined by fake_model.c: the OpenMP team size of the last call. */
extern int fake_last_threads;

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

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: api_test CHECKPOINT_DIR MISSING_TENSOR_DIR\n");
    return 2;
  }
  const char *weights = argv[1], *missing = argv[2];

  /* Manifest accessors. */
  EXPECT(strcmp(tfc_manifest_model_type(), "fake") == 0);
  EXPECT(tfc_manifest_vocab_size() == 8);
  EXPECT(tfc_manifest_hidden_size() == 4);
  EXPECT(tfc_manifest_num_layers() == 1);
  EXPECT(tfc_manifest_num_kv_caches() == 1);
  EXPECT(tfc_manifest_kv_cache_floats_per_token(0) == 4);
  EXPECT(tfc_manifest_kv_cache_window(0) == 0);
  EXPECT(tfc_manifest_arena_bytes() == 320);
  EXPECT(tfc_manifest_num_weights() == 3);
  EXPECT(strcmp(tfc_manifest_weight_name(1), "norm.weight") == 0);
  EXPECT(strcmp(tfc_manifest_weight_dtype(1), "f32") == 0);
  EXPECT(tfc_manifest_weight_rank(1) == 1);
  EXPECT(tfc_manifest_weight_dim(1, 0) == 4);
  EXPECT(tfc_manifest_weight_rank(2) == 2);
  EXPECT(tfc_manifest_weight_dim(2, 0) == 8 &&
         tfc_manifest_weight_dim(2, 1) == 4);
  EXPECT(tfc_manifest_weight_offset(2) == 192);
  EXPECT(strncmp(tfc_manifest_text(), "tfc-manifest 2\n", 15) == 0);
  EXPECT(tfc_manifest_weight_name(3) == NULL);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_manifest_weight_dim(1, 1) == -1);
  printf("error: %s\n", tfc_last_error());
  EXPECT(tfc_manifest_kv_cache_window(1) == -1);
  printf("error: %s\n", tfc_last_error());

  /* Creation and calls before binding. */
  EXPECT(tfc_model_create(0) == NULL);
  printf("error: %s\n", tfc_last_error());
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
  EXPECT(fake_last_threads == 3);
  tfc_model_set_threads(1);
  EXPECT(tfc_model_decode(model, 2) == 0);
  EXPECT(fake_last_threads == 1);

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
