// lcgreedy: the token ids llama.cpp picks greedily after a prompt of token ids, for a
// token-agreement check against tfc (the peer's lcpeer only dumps prompt logits; it does not
// generate). Context as lcpeer's logits mode: KV cache F32, flash attention off, so nothing is
// rounded to F16 on the way. The prompt is one batch; then N steps of argmax over the last
// logits, each chosen token fed back alone. Ties go to the lowest id.
//
//   lcgreedy MODEL.gguf PROMPT_IDS N [THREADS]      (PROMPT_IDS comma-separated; THREADS default 1)
//   stdout: the N chosen ids, comma-separated, on one line.
//   Env: LCGREEDY_MARGINS=1 also prints, on stderr, each step's top-1 minus top-2 logit (small
//        margins are where a different but correct implementation may pick another token);
//        LCGREEDY_VERBOSE=1 keeps llama.cpp's log.
//
// Built by scripts/llamacpp-q8.sh (g++ against the peer's llama.h and libraries, as install.sh).
#include "ggml-backend.h"
#include "llama.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static bool g_verbose = false;

static void log_cb(ggml_log_level level, const char * text, void *) {
    if (g_verbose || level >= GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

static bool env_on(const char * name) { return getenv(name) && atoi(getenv(name)) != 0; }

static void decode_or_die(llama_context * ctx, llama_batch b) {
    const int rc = llama_decode(ctx, b);
    if (rc != 0) {
        fprintf(stderr, "lcgreedy: llama_decode failed: %d\n", rc);
        exit(1);
    }
}

int main(int argc, char ** argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: lcgreedy MODEL.gguf PROMPT_IDS N [THREADS]\n");
        return 2;
    }
    std::vector<llama_token> prompt;
    for (const char * p = argv[2]; *p;) {
        char * end;
        const long v = strtol(p, &end, 10);
        if (end == p) {
            fprintf(stderr, "lcgreedy: bad token list %s\n", argv[2]);
            return 2;
        }
        prompt.push_back((llama_token) v);
        p = *end == ',' ? end + 1 : end;
    }
    const int n_gen = atoi(argv[3]);
    const int threads = argc > 4 ? atoi(argv[4]) : 1;
    if (prompt.empty() || n_gen < 0 || threads < 1) {
        fprintf(stderr, "lcgreedy: need a non-empty prompt, N >= 0, THREADS >= 1\n");
        return 2;
    }
    g_verbose = env_on("LCGREEDY_VERBOSE");
    const bool margins = env_on("LCGREEDY_MARGINS");
    llama_log_set(log_cb, nullptr);
    ggml_backend_load_all();  // the CPU backend is a libggml-cpu-<isa>.so beside the executable
    llama_backend_init();

    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    if (!g_verbose) mp.progress_callback = [](float, void *) { return true; };
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) {
        fprintf(stderr, "lcgreedy: failed to load %s\n", argv[1]);
        return 1;
    }
    const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    for (llama_token t : prompt) {
        if (t < 0 || t >= n_vocab) {
            fprintf(stderr, "lcgreedy: token %d out of range [0, %d)\n", t, n_vocab);
            return 2;
        }
    }

    const int n_prompt = (int) prompt.size();
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = std::max(n_prompt + n_gen, 32);
    cp.n_batch = n_prompt;
    cp.n_ubatch = n_prompt;  // the whole prompt in one ubatch, as lcpeer logits
    cp.n_seq_max = 1;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.type_k = GGML_TYPE_F32;
    cp.type_v = GGML_TYPE_F32;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    cp.no_perf = true;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) {
        fprintf(stderr, "lcgreedy: failed to create context\n");
        return 1;
    }

    // llama_batch_get_one: consecutive positions from the cache's end, logits of the last token only
    decode_or_die(ctx, llama_batch_get_one(prompt.data(), n_prompt));
    std::vector<llama_token> out;
    std::string margin_line;
    for (int step = 0; step < n_gen; step++) {
        const float * logits = llama_get_logits_ith(ctx, -1);
        if (!logits) {
            fprintf(stderr, "lcgreedy: no logits at step %d\n", step);
            return 1;
        }
        int best = 0;
        for (int v = 1; v < n_vocab; v++) {
            if (logits[v] > logits[best]) best = v;  // strict: ties keep the lower id
        }
        if (margins) {
            float second = -INFINITY;
            for (int v = 0; v < n_vocab; v++) {
                if (v != best) second = std::max(second, logits[v]);
            }
            char buf[32];
            snprintf(buf, sizeof buf, "%s%.4f", step ? "," : "", logits[best] - second);
            margin_line += buf;
        }
        out.push_back(best);
        if (step + 1 < n_gen) {
            llama_token t = best;
            decode_or_die(ctx, llama_batch_get_one(&t, 1));
        }
    }
    for (size_t i = 0; i < out.size(); i++) printf("%s%d", i ? "," : "", out[i]);
    printf("\n");
    if (margins) fprintf(stderr, "lcgreedy: margins %s\n", margin_line.c_str());

    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
