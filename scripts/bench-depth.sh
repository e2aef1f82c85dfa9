#!/usr/bin/env bash
# Decode at depth against llama.cpp, on the same 125M llama checkpoint, same
# threads, same run: tfc-run --bench --bench-depth D (G tokens decoded after a
# D-token prefill, timed apart from it) against llama-bench -d D -n G
# (llama.cpp's KV cache is f16; tfc runs with an f32 and an f16 cache).
# Also prints the KV cache bytes one decoded token must read (every cached
# key and value of every layer once: D x bytes per position) beside the
# weight bytes, and what that costs at the read bandwidth measured in the
# same run (scripts/bench/machine-bounds.c).
#   scripts/bench-depth.sh [DEPTH] [THREADS...]     (default: 4096, 1 2)
# Env: GEN (default 64), REPS (default 3), BENCH_MODEL.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=../shared/peers/llamacpp
model=${BENCH_MODEL:-/tmp/tfc-bench/m100}
depth=${1:-4096}; shift || true
threads=("${@:-1}"); [ $# -gt 0 ] || threads=(1 2)
gen=${GEN:-64}; reps=${REPS:-3}
"$peer/install.sh" >/dev/null
[ -f "$model/model.safetensors" ] || /usr/bin/python3 "$peer/make_bench_model.py" "$model"
for kv in f32 f16; do
  build/bin/tfc-compile "$model" -o "$model.kv-$kv.so" --quiet --kv-dtype=$kv
done
bounds=${TMPDIR:-/tmp}/tfc-machine-bounds
clang-22 -O2 -march=native -pthread scripts/bench/machine-bounds.c -o "$bounds"
ctx=$((depth + gen))
# Bytes of one cached position in f32 (every layer's keys and values), and
# of the f32 embedding table, of which decode reads one row.
read -r pos_bytes embed_bytes <<<"$(/usr/bin/python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
heads = c["num_attention_heads"]; kv = c.get("num_key_value_heads", heads)
d = c.get("head_dim") or c["hidden_size"] // heads
print(c["num_hidden_layers"] * kv * 2 * d * 4, 4 * c["vocab_size"] * c["hidden_size"])' "$model/config.json")"
weight_bytes=$(( $(cat "$model"/*.safetensors | wc -c) - embed_bytes ))
echo "# bench-depth: $model, depth $depth, $gen decoded tokens, $reps reps, $pos_bytes bytes per cached position (f32); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${threads[@]}"; do
  read -r bw peak <<<"$("$bounds" "$t" | sed 's/read_gbps=\([0-9.]*\) fma_gflops=\([0-9.]*\)/\1 \2/')"
  lc=$(TG=$gen REPS=$reps BENCH_ARGS="-d $depth" "$peer/bench.sh" "$model" "$t" | grep "^llamacpp threads=$t")
  lc_tg=$(sed -n "s/.*tg$gen=\([0-9.]*\).*/\1/p" <<<"$lc")
  for kv in f32 f16; do
    out=$(build/bin/tfc-run "$model.kv-$kv.so" --weights "$model" --bench --threads "$t" \
      --bench-prompt 128 --bench-gen "$gen" --bench-reps "$reps" --bench-depth "$depth" \
      --max-context "$ctx" 2>/dev/null)
    tg=$(sed -n 's/^decode: .*  \([0-9.]*\) tok\/s/\1/p' <<<"$out")
    awk -v t="$t" -v kv="$kv" -v a="$tg" -v b="$lc_tg" -v d="$depth" -v bw="$bw" \
        -v wb="$weight_bytes" -v pos_bytes="$pos_bytes" 'BEGIN {
      pb = (kv == "f32" ? pos_bytes : pos_bytes / 2); kvb = d * pb
      printf "threads=%s depth=%s kv=%s: tfc decode %.1f tok/s, llama.cpp (f16 kv) %.1f tok/s, ratio %.3f; KV read per token %.1f MB (minimum: each cached key/value once) + weights %.0f MB, %.0f%% of read bandwidth %.1f GB/s\n", t, d, kv, a, b, a / b, kvb / 1e6, wb / 1e6, 100 * a * (kvb + wb) / (bw * 1e9), bw }'
  done
done
