// lcquantize: quantize a GGUF with llama.cpp's own llama_model_quantize, against the llama.cpp
// peer's prebuilt libllama (../shared/peers/llamacpp), since the peer's hf2gguf.py only writes
// F32/F16. Default params (llama.cpp decides which tensors get the type: 1-D ones stay F32),
// 2 threads. Then it lists, on stderr, how many tensors of each type the output holds and which
// ones were not given the requested type.
//
//   lcquantize IN.gguf OUT.gguf [q8_0|q4_0]        (default q8_0)
//   Env: LCQUANTIZE_VERBOSE=1 keeps llama.cpp's per-tensor log.
//
// Built by scripts/llamacpp-q8.sh (g++ against the peer's llama.h and libraries, as install.sh).
#include "ggml.h"
#include "gguf.h"
#include "llama.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

static bool g_verbose = false;

static void log_cb(ggml_log_level level, const char * text, void *) {
    if (g_verbose || level >= GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

int main(int argc, char ** argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: lcquantize IN.gguf OUT.gguf [q8_0|q4_0]\n");
        return 2;
    }
    const std::string kind = argc > 3 ? argv[3] : "q8_0";
    llama_ftype ftype;
    ggml_type want;
    if (kind == "q8_0") {
        ftype = LLAMA_FTYPE_MOSTLY_Q8_0;
        want = GGML_TYPE_Q8_0;
    } else if (kind == "q4_0") {
        ftype = LLAMA_FTYPE_MOSTLY_Q4_0;
        want = GGML_TYPE_Q4_0;
    } else {
        fprintf(stderr, "lcquantize: unknown type %s (q8_0 or q4_0)\n", kind.c_str());
        return 2;
    }
    g_verbose = getenv("LCQUANTIZE_VERBOSE") && atoi(getenv("LCQUANTIZE_VERBOSE")) != 0;
    llama_log_set(log_cb, nullptr);
    llama_backend_init();

    llama_model_quantize_params qp = llama_model_quantize_default_params();
    qp.ftype = ftype;
    qp.nthread = 2;  // 0 would mean hardware_concurrency; this machine is shared, 2 cores
    if (llama_model_quantize(argv[1], argv[2], &qp) != 0) {
        fprintf(stderr, "lcquantize: llama_model_quantize(%s -> %s) failed\n", argv[1], argv[2]);
        return 1;
    }

    // what llama.cpp actually chose, per tensor: its rules differ per tensor and per version
    gguf_init_params gp = {/*no_alloc=*/true, /*ctx=*/nullptr};
    gguf_context * g = gguf_init_from_file(argv[2], gp);
    if (!g) {
        fprintf(stderr, "lcquantize: cannot read back %s\n", argv[2]);
        return 1;
    }
    std::map<std::string, int> count;
    std::string other;
    const int64_t n = gguf_get_n_tensors(g);
    for (int64_t i = 0; i < n; i++) {
        const ggml_type t = gguf_get_tensor_type(g, i);
        count[ggml_type_name(t)]++;
        if (t != want) {
            const int64_t * ne = gguf_get_tensor_ne(g, i);
            const bool is_1d = ne[1] == 1 && ne[2] == 1 && ne[3] == 1;
            if (!is_1d) {  // 1-D tensors (norms) always stay F32; name only the 2-D exceptions
                other += std::string(" ") + gguf_get_tensor_name(g, i) + "=" + ggml_type_name(t);
            }
        }
    }
    fprintf(stderr, "lcquantize: %s -> %s (%s): %lld tensors:", argv[1], argv[2], kind.c_str(), (long long) n);
    for (auto & kv : count) fprintf(stderr, " %s %d", kv.first.c_str(), kv.second);
    fprintf(stderr, "; 2-D tensors not %s:%s\n", kind.c_str(), other.empty() ? " none" : other.c_str());
    gguf_free(g);
    llama_backend_free();
    return 0;
}
