#!/usr/bin/env bash
# What each optimisation pass buys: compiles one checkpoint with every pass on
# and once with each optional pass off (tfc-compile --disable-pass), runs
# tfc-run --bench on each in the same run, and prints prefill/decode tokens/s
# with the ratio all-on / pass-off.
#   scripts/bench-passes.sh [MODEL_DIR] [THREADS...]
# MODEL_DIR defaults to the 125M llama of ../shared/peers/llamacpp
# (made if missing); THREADS default to 1. BENCH_ARGS adds tfc-run options.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=../shared/peers/llamacpp
model=${1:-${BENCH_MODEL:-/tmp/tfc-bench/m100}}
shift || true
threads=("${@:-1}")
[ -f "$model/config.json" ] || /usr/bin/python3 "$peer/make_bench_model.py" "$model"
passes=$(build/bin/tfc-compile --help | sed -n 's/.*--disable-pass=.*exp): //p' | tr -d ',')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bench() { # LIB THREADS -> "prefill decode"
  local out
  out=$(build/bin/tfc-run "$1" --weights "$model" --bench --threads "$2" ${BENCH_ARGS:-})
  echo "$(sed -n 's/^prefill: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$out") $(sed -n 's/^decode: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$out")"
}

build/bin/tfc-compile "$model" -o "$work/all.so" --quiet
for p in $passes; do
  build/bin/tfc-compile "$model" -o "$work/no-$p.so" --quiet --disable-pass="$p"
done
echo "# bench-passes: $model, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${threads[@]}"; do
  read -r pp tg <<<"$(bench "$work/all.so" "$t")"
  printf 'threads=%s all passes:            prefill %7.1f tok/s  decode %6.1f tok/s\n' "$t" "$pp" "$tg"
  for p in $passes; do
    read -r ppo tgo <<<"$(bench "$work/no-$p.so" "$t")"
    awk -v t="$t" -v p="$p" -v a="$pp" -v b="$ppo" -v c="$tg" -v d="$tgo" 'BEGIN {
      printf "threads=%s without %s: prefill %7.1f tok/s  decode %6.1f tok/s  (all-on / off: prefill %.2fx, decode %.2fx)\n", t, p, b, d, a / b, c / d }'
  done
done
