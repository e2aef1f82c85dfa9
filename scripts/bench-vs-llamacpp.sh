#!/usr/bin/env bash
# tfc against llama.cpp on the same 125M f32 llama checkpoint, same threads,
# same run: prints both tokens/s and the ratio tfc / llama.cpp.
#   scripts/bench-vs-llamacpp.sh [THREADS...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
peer=../shared/peers/llamacpp
model=${BENCH_MODEL:-/tmp/tfc-bench/m100}
threads=("${@:-1}"); [ $# -gt 0 ] || threads=(1 2)
"$peer/install.sh" >/dev/null
[ -f "$model/model.safetensors" ] || /usr/bin/python3 "$peer/make_bench_model.py" "$model"
build/bin/tfc-compile "$model" -o "$model.so" --quiet
for t in "${threads[@]}"; do
  lc=$("$peer/bench.sh" "$model" "$t" | grep "^llamacpp threads=$t")
  tfc=$(build/bin/tfc-run "$model.so" --weights "$model" --bench --threads "$t")
  lc_pp=$(sed -n 's/.*pp128=\([0-9.]*\).*/\1/p' <<<"$lc")
  lc_tg=$(sed -n 's/.*tg64=\([0-9.]*\).*/\1/p' <<<"$lc")
  tfc_pp=$(sed -n 's/^prefill: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$tfc")
  tfc_tg=$(sed -n 's/^decode: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$tfc")
  awk -v t="$t" -v a="$tfc_pp" -v b="$lc_pp" -v c="$tfc_tg" -v d="$lc_tg" 'BEGIN {
    printf "threads=%s prefill(128): tfc %.1f tok/s, llama.cpp %.1f tok/s, ratio %.3f\n", t, a, b, a / b
    printf "threads=%s decode(64):   tfc %.1f tok/s, llama.cpp %.1f tok/s, ratio %.3f\n", t, c, d, c / d }'
done
