#!/usr/bin/env bash
# End-to-end check of one model against the independent PyTorch reference:
#   check-model.sh WORKDIR FAMILY [--rtol R] [--min-rtol R] [--quick]
#                  [make_model.py options...]
#                  [-- tfc-compile options...]
# (make_model.py options: --dtype, --base-model-names, --include-tied-head,
# --variant, ...; tfc-compile options: --weight-dtype=, --kv-dtype=, ...)
# --rtol sets compare.py's tolerance (default 1e-4, see below), --min-rtol
# the least error it must see (a lossy path was taken); --quick runs
# only the prefill, the prefill 3 + decode and the batched decode checks.
# makes a random checkpoint and its expected logits (test/e2e/reference),
# compiles the config with tfc-compile, runs the prompt with tfc-run and
# compares all prompt logits (max abs error <= 1e-4 * max |logit|: f32 code
# against a float64 reference); then runs the same prompt as a short prefill
# followed by token-by-token decode, and as prefills in chunks of 5 and of 10
# tokens (then decode), which must agree too: the KV-cache path, including the
# rings of sliding-window layers (the test configs' windows are 8 to 12); and
# as 4 sessions of one batch decoded together (tfc_batch_decode).
# TFC_BIN names the directory of tfc-compile and tfc-run.
set -euo pipefail
work=$1; family=$2; shift 2
rtol=1e-4; min_rtol=0; quick=0; make_args=(); compile_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --rtol) rtol=$2; shift 2 ;;
    --min-rtol) min_rtol=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --) shift; compile_args=("$@"); break ;;
    *) make_args+=("$1"); shift ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
ref="$here/reference"
bin=${TFC_BIN:?set TFC_BIN to the directory of tfc-compile and tfc-run}
py=/usr/bin/python3

rm -rf "$work"; mkdir -p "$work"
"$py" "$ref/make_model.py" --family "$family" --out "$work/model" ${make_args[@]+"${make_args[@]}"} >/dev/null
"$bin/tfc-compile" "$work/model" -o "$work/model.so" --quiet ${compile_args[@]+"${compile_args[@]}"}
tokens=$(cat "$work/model/tokens.txt")
vocab=$("$py" -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c.get("vocab_size") or c["padded_vocab_size"])' "$work/model/config.json")

"$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --dump-logits "$work/prefill.f32" --threads 2
echo "prefill vs reference:"
"$py" "$ref/compare.py" "$work/prefill.f32" "$work/model/logits.f32" --vocab "$vocab" --rtol "$rtol" --min-rtol "$min_rtol"

"$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --prefill-tokens 3 --dump-logits "$work/decode.f32" --threads 2
echo "prefill 3 + decode vs reference:"
"$py" "$ref/compare.py" "$work/decode.f32" "$work/model/logits.f32" --vocab "$vocab" --rtol "$rtol" --min-rtol "$min_rtol"

# Batched decode: 4 sessions of one tfc_batch, session b prefilled with
# 2 + b tokens, then decoded together at different positions (and fewer
# sessions per step as they reach the end of the prompt).
"$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --batch 4 --prefill-tokens 2 --dump-logits "$work/batch.f32" --threads 2
echo "batched decode of 4 sessions vs reference:"
"$py" "$ref/compare.py" "$work/batch.f32" "$work/model/logits.f32" --vocab "$vocab" --rtol "$rtol" --min-rtol "$min_rtol" --repeat 4
[ "$quick" = 1 ] && exit 0

"$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --prefill-chunk 5 --dump-logits "$work/chunk5.f32" --threads 2
echo "prefill in chunks of 5 vs reference:"
"$py" "$ref/compare.py" "$work/chunk5.f32" "$work/model/logits.f32" --vocab "$vocab" --rtol "$rtol" --min-rtol "$min_rtol"

"$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --prefill-chunk 10 --prefill-tokens 20 --dump-logits "$work/chunk10.f32" --threads 2
echo "prefill in chunks of 10 + decode vs reference:"
"$py" "$ref/compare.py" "$work/chunk10.f32" "$work/model/logits.f32" --vocab "$vocab" --rtol "$rtol" --min-rtol "$min_rtol"

# Generation prefills with tfc_prefill_last unless logits are dumped: the
# greedy ids must not depend on it.
gen_all=$("$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --max-new-tokens 6 --dump-logits "$work/gen.f32" --threads 2)
gen_last=$("$bin/tfc-run" "$work/model.so" --weights "$work/model" --tokens "$tokens" \
  --max-new-tokens 6 --threads 2)
[ "$gen_all" = "$gen_last" ] || { echo "generation differs: $gen_all vs $gen_last"; exit 1; }
echo "greedy generation, last-position prefill: $gen_last"
