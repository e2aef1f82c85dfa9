#!/usr/bin/env bash
# tfc against llama.cpp on the same llama checkpoint (default: the 125M f32
# one; BENCH_MODEL=DIR another, e.g. scripts/make-real-size-checkpoint.py's), same threads,
# same run: prints both tokens/s and the ratio tfc / llama.cpp, and the
# fraction of this machine's bound each figure reaches, measured in the same
# run (scripts/bench/machine-bounds.c): decode as weight bytes read per token
# (every weight but the embedding table, of which one row is read) x tok/s /
# read bandwidth; prefill as 2 x matrix parameters per token (all weights but
# the embedding and the LM head, which prefill-last runs on one row; attention
# at this context is under 1%) x tok/s / (threads x one core's FMA peak).
#   scripts/bench-vs-llamacpp.sh [THREADS...]     (default: 1 2)
#   TFC_RUN_ARGS=--copy-weights BENCH_ARGS="-lm none" scripts/bench-vs-llamacpp.sh ...
#     both sides with the weights copied into memory of their own instead of
#     read from the mapped files (tfc_weights_load_copied; llama-bench --load-mode none)
#   QUANT=q8_0 scripts/bench-vs-llamacpp.sh ...   both sides with Q8_0 weights:
#     tfc-compile --quantize=q8_0 against llama.cpp's own Q8_0 quantization of
#     the same checkpoint (scripts/llamacpp-q8.sh); decode then reads 34 bytes
#     per 32 matrix weights.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=../shared/peers/llamacpp
model=${BENCH_MODEL:-/tmp/tfc-bench/m100}
threads=("${@:-1}"); [ $# -gt 0 ] || threads=(1 2)
"$peer/install.sh" >/dev/null
[ -f "$model/model.safetensors" ] || /usr/bin/python3 "$peer/make_bench_model.py" "$model"
quant=${QUANT:-}
case $quant in
  "") so=$model.so; compile_args=() ;;
  q8_0) so=$model-q8_0.so; compile_args=(--quantize=q8_0) ;;
  *) echo "bench-vs-llamacpp: QUANT=$quant is not q8_0" >&2; exit 2 ;;
esac
build/bin/tfc-compile "$model" -o "$so" --quiet ${compile_args[@]+"${compile_args[@]}"}
bounds=${TMPDIR:-/tmp}/tfc-machine-bounds
clang-22 -O2 -march=native -pthread scripts/bench/machine-bounds.c -o "$bounds"
summary=$(build/bin/tfc-run "$so" --weights "$model" 2>/dev/null | head -1)
params=$(sed -n 's/.*parameters=\([0-9]*\).*/\1/p' <<<"$summary")
vocab=$(sed -n 's/.*vocab=\([0-9]*\).*/\1/p' <<<"$summary")
hidden=$(sed -n 's/.*hidden=\([0-9]*\).*/\1/p' <<<"$summary")
weight_bytes=$(cat "$model"/*.safetensors | wc -c)
# A tied head reads the whole embedding table every token.
tied=$(/usr/bin/python3 -c 'import json,sys; print(int(bool(json.load(open(sys.argv[1])).get("tie_word_embeddings"))))' "$model/config.json")
for t in "${threads[@]}"; do
  read -r bw peak <<<"$("$bounds" "$t" | sed 's/read_gbps=\([0-9.]*\) fma_gflops=\([0-9.]*\)/\1 \2/')"
  if [ -n "$quant" ]; then
    lc=$(NICE=0 scripts/llamacpp-q8.sh bench "$model" "$t" | grep "^llamacpp threads=$t")
  else
    lc=$("$peer/bench.sh" "$model" "$t" | grep "^llamacpp threads=$t")
  fi
  tfc=$(build/bin/tfc-run "$so" --weights "$model" --bench --threads "$t" ${TFC_RUN_ARGS:-} 2>/dev/null)
  lc_pp=$(sed -n 's/.*pp128=\([0-9.]*\).*/\1/p' <<<"$lc")
  lc_tg=$(sed -n 's/.*tg64=\([0-9.]*\).*/\1/p' <<<"$lc")
  tfc_pp=$(sed -n 's/^prefill: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$tfc")
  tfc_tg=$(sed -n 's/^decode: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$tfc")
  awk -v t="$t" -v a="$tfc_pp" -v b="$lc_pp" -v c="$tfc_tg" -v d="$lc_tg" \
      -v bw="$bw" -v peak="$peak" -v p="$params" -v v="$vocab" -v h="$hidden" \
      -v wb="$weight_bytes" -v q="$quant" -v tied="$tied" 'BEGIN {
    # The checkpoint stores 4 (f32) or 2 (bf16, f16) bytes a parameter, and
    # tfc reads it so; the embedding table is v x h, of which decode reads one
    # row unless the head is tied to it. Q8_0: 34 bytes per 32 of the
    # matrices and of the embedding table (the norms, 0.02%, aside).
    stored = wb / p > 3 ? 4 : 2; matrix = q == "q8_0" ? 34 / 32 : stored
    bytes = (p - v * h) * matrix + (tied ? v * h * matrix : 0)
    flops = 2 * (p - (tied ? 1 : 2) * v * h)
    printf "threads=%s bounds: read %.1f GB/s, FMA peak %.0f GFLOP/s per core; decode reads %.0f MB/token, prefill %.2f GFLOP/token\n", t, bw, peak, bytes / 1e6, flops / 1e9
    printf "threads=%s prefill(128): tfc %.1f tok/s (%.0f%% of FMA peak), llama.cpp %.1f tok/s (%.0f%%), ratio %.3f\n", t, a, 100 * a * flops / (t * peak * 1e9), b, 100 * b * flops / (t * peak * 1e9), a / b
    printf "threads=%s decode(64):   tfc %.1f tok/s (%.0f%% of read bandwidth), llama.cpp %.1f tok/s (%.0f%%), ratio %.3f\n", t, c, 100 * c * bytes / (bw * 1e9), d, 100 * d * bytes / (bw * 1e9), c / d }'
done
