#!/usr/bin/env bash
# What the fusion and KV-tiling passes buy, in one run (issue 12's benchmark):
# scripts/bench-passes.sh (all passes on, and each one off, as ratios) on
#   - the 125M llama of ../shared/peers/llamacpp (12 heads, 4 kv heads),
#   - a GQA-heavy llama (16 query heads per kv head: MQA),
#   - a small Mixtral shape (8 experts, top-2, bf16) and a dense llama with
#     the same active parameters (ffn 2 x the expert width), whose decode
#     rates are also printed as a ratio,
#   - the 125M llama at depth 4096 (decode after a 4096-token prefill);
# then scripts/bench-depth.sh: decode at depth 4096 against llama.cpp.
#   scripts/bench-fusion.sh [THREADS...]     (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=("${@:-1}"); [ $# -gt 0 ] || threads=(1 2)
root=${BENCH_ROOT:-/tmp/tfc-bench}
peer=../shared/peers/llamacpp
[ -f "$root/m100/model.safetensors" ] || /usr/bin/python3 "$peer/make_bench_model.py" "$root/m100"
make_model() { /usr/bin/python3 scripts/make-bench-model.py "$@"; }
make_model "$root/gqa16" --hidden 1024 --heads 16 --kv-heads 1 --intermediate 2816
make_model "$root/moe8x2" --layers 8 --intermediate 1024 --experts 8 --top-k 2 --dtype bf16
make_model "$root/moe-dense" --layers 8 --intermediate 2048 --dtype bf16

for m in m100 gqa16 moe8x2 moe-dense; do
  echo "## $m"
  scripts/bench-passes.sh "$root/$m" "${threads[@]}"
done
echo "## m100 at depth 4096"
BENCH_ARGS="--bench-depth 4096 --max-context 4160 --bench-reps 2" \
  scripts/bench-passes.sh "$root/m100" "${threads[@]}"

declare -A rate
echo "## Mixtral-shaped decode against the dense model of the same active parameters"
for t in "${threads[@]}"; do
  for m in moe8x2 moe-dense; do
    build/bin/tfc-compile "$root/$m" -o "$root/$m.so" --quiet
    rate[$t$m]=$(build/bin/tfc-run "$root/$m.so" --weights "$root/$m" --bench --threads "$t" \
      | sed -n 's/^decode: .*  \([0-9.]*\) tok\/s/\1/p')
  done
  awk -v t="$t" -v a="${rate[${t}moe8x2]}" -v b="${rate[${t}moe-dense]}" 'BEGIN {
    printf "threads=%s decode: mixtral-shaped %.1f tok/s, dense %.1f tok/s: time ratio %.2f (target <= 1.3)\n", t, a, b, b / a }'
done

echo "## decode at depth 4096 against llama.cpp"
scripts/bench-depth.sh 4096 "${threads[@]}"
