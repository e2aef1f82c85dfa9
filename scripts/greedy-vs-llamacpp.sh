#!/usr/bin/env bash
# Greedy generation of tfc and of llama.cpp on the same checkpoint and prompt:
# prints both id lists and how many leading steps agree.
#   scripts/greedy-vs-llamacpp.sh [q8_0|f32] [STEPS] [PROMPT_IDS]
# Defaults: q8_0 (tfc-compile --quantize=q8_0 against llama.cpp's own Q8_0 of
# the checkpoint), 32 steps, prompt 1,15043,3186,338; the checkpoint is
# BENCH_MODEL (default: the 125M llama of bench-vs-llamacpp.sh). llama.cpp
# runs with an f32 KV cache and no flash attention (scripts/bench/lcgreedy.cpp),
# both sides on one thread. On random weights the top two logits are often
# within 1e-3, so agreement ends where the two roundings part, not at a bug.
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-q8_0}; steps=${2:-32}; prompt=${3:-1,15043,3186,338}
model=${BENCH_MODEL:-/tmp/tfc-bench/m100}
case $type in
  q8_0) compile_args=(--quantize=q8_0 ${TFC_COMPILE_ARGS:-}) ;;
  f32) compile_args=() ;;
  *) echo "greedy-vs-llamacpp: type must be q8_0 or f32, not $type" >&2; exit 2 ;;
esac
[ -f "$model/model.safetensors" ] ||
  /usr/bin/python3 ../shared/peers/llamacpp/make_bench_model.py "$model"
so=${TMPDIR:-/tmp}/tfc-greedy-$type.so
build/bin/tfc-compile "$model" -o "$so" --quiet ${compile_args[@]+"${compile_args[@]}"}
tfc=$(build/bin/tfc-run "$so" --weights "$model" --tokens "$prompt" \
        --max-new-tokens "$steps" --threads 1 2>/dev/null | tail -1)
lc=$(scripts/llamacpp-q8.sh greedy "$model" "$prompt" "$steps" "$type" | tail -1)
echo "tfc:       $tfc"
echo "llama.cpp: $lc"
awk -v a="$tfc" -v b="$lc" -v t="$type" 'BEGIN {
  n = split(a, x, ","); split(b, y, ","); k = 0
  while (k < n && x[k + 1] == y[k + 1]) k++
  printf "%s: the first %d of %d greedy tokens agree\n", t, k, n }'
