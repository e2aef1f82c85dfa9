/* thread_test.c - sessions sharing one tfc_weights in two threads (C11). */
/*
 * Usage: thread_test CHECKPOINT_DIR
 * Runs two different token sequences, each as prefill + decodes, first one
 * after the other, then concurrently in two threads on two sessions of one
 * weights object (and a third session created inside a thread), many times
 * over. Every logit must be bit-identical to the sequential run. Prints
 * "FAIL: ..." for a mismatch and "thread_test: N checks, M failed".
 */
#include "tfc/Runtime/tfc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { kVocab = 8, kPrompt = 5, kDecodes = 11, kSteps = 1 + kDecodes };
enum { kRounds = 300 };

typedef struct {
  const tfc_weights *weights;
  tfc_session *session; /* NULL: the thread creates its own */
  const int64_t *tokens; /* kPrompt + kDecodes ids */
  float logits[kSteps][kVocab];
  int failed;
} Job;

/* Prefill the prompt (last row only), then decode the rest: one row each. */
static int runSequence(tfc_session *session, const int64_t *tokens,
                       float out[kSteps][kVocab]) {
  int64_t rows;
  tfc_session_reset(session);
  if (tfc_session_prefill_last(session, tokens, kPrompt) != 0)
    return -1;
  memcpy(out[0], tfc_session_logits(session, &rows), sizeof(out[0]));
  for (int i = 0; i < kDecodes; ++i) {
    if (tfc_session_decode(session, tokens[kPrompt + i]) != 0)
      return -1;
    memcpy(out[1 + i], tfc_session_logits(session, &rows), sizeof(out[0]));
  }
  return 0;
}

static float reference[2][kSteps][kVocab];

static void *worker(void *arg) {
  Job *job = arg;
  int index = job->tokens[0] == 1 ? 0 : 1;
  tfc_session *own = NULL;
  if (!job->session)
    job->session = own = tfc_session_create(job->weights, 64);
  if (!job->session) {
    job->failed = 1;
    return NULL;
  }
  for (int round = 0; round < kRounds; ++round) {
    if (runSequence(job->session, job->tokens, job->logits) != 0 ||
        memcmp(job->logits, reference[index], sizeof(job->logits)) != 0) {
      job->failed = 1;
      break;
    }
  }
  tfc_session_destroy(own);
  return NULL;
}

int main(int argc, char **argv) {
  int checks = 0, failures = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: thread_test CHECKPOINT_DIR\n");
    return 2;
  }
  static const int64_t sequences[2][kPrompt + kDecodes] = {
      {1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0},
      {7, 7, 0, 3, 5, 1, 1, 2, 6, 4, 0, 0, 3, 2, 5, 6}};
  tfc_weights *weights = tfc_weights_load(argv[1]);
  if (!weights) {
    printf("FAIL: %s\n", tfc_last_error());
    return 1;
  }
  tfc_model_set_threads(2);
  tfc_session *a = tfc_session_create(weights, 64);
  tfc_session *b = tfc_session_create(weights, 64);
  ++checks;
  if (!a || !b || runSequence(a, sequences[0], reference[0]) != 0 ||
      runSequence(b, sequences[1], reference[1]) != 0) {
    printf("FAIL: sequential run: %s\n", tfc_last_error());
    return 1;
  }
  /* The two sequences differ, so a session reading the other's cache would
   * show. */
  ++checks;
  if (memcmp(reference[0], reference[1], sizeof(reference[0])) == 0) {
    ++failures;
    printf("FAIL: the two sequences give the same logits\n");
  }

  Job jobs[3] = {{weights, a, sequences[0], {{0}}, 0},
                 {weights, b, sequences[1], {{0}}, 0},
                 {weights, NULL, sequences[1], {{0}}, 0}};
  pthread_t threads[3];
  for (int i = 0; i < 3; ++i)
    if (pthread_create(&threads[i], NULL, worker, &jobs[i]) != 0) {
      printf("FAIL: pthread_create\n");
      return 1;
    }
  for (int i = 0; i < 3; ++i) {
    pthread_join(threads[i], NULL);
    ++checks;
    if (jobs[i].failed) {
      ++failures;
      printf("FAIL: thread %d: logits differ from the sequential run or a "
             "call failed (%s)\n",
             i, tfc_last_error());
    }
  }
  tfc_session_destroy(a);
  tfc_session_destroy(b);
  tfc_weights_destroy(weights);
  printf("thread_test: %d checks, %d failed (%d rounds in each of 3 threads)\n",
         checks, failures, kRounds);
  return failures != 0;
}
