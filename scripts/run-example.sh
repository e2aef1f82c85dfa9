#!/usr/bin/env bash
# The main job on an example: installs what is missing, builds tfc, makes a
# small random-weight llama checkpoint (config.json + model.safetensors, with
# the PyTorch reference of test/e2e/reference), compiles it to a shared
# library, runs a prompt, checks every prompt logit against the reference,
# generates 8 tokens greedily and benchmarks prefill and decode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=build/example
mkdir -p "$out"
echo "== checkpoint: $out/llama (random weights, seed 0)"
/usr/bin/python3 test/e2e/reference/make_model.py --family llama --out "$out/llama"
echo "== tfc-compile $out/llama -o $out/llama.so"
build/bin/tfc-compile "$out/llama" -o "$out/llama.so"
tokens=$(cat "$out/llama/tokens.txt")
echo "== tfc-run: prompt $tokens"
build/bin/tfc-run "$out/llama.so" --weights "$out/llama" --tokens "$tokens" \
  --dump-logits "$out/logits.f32" --max-new-tokens 8
echo "== prompt logits vs the PyTorch reference"
/usr/bin/python3 test/e2e/reference/compare.py "$out/logits.f32" "$out/llama/logits.f32" --vocab 256
echo "== tfc-run --bench"
build/bin/tfc-run "$out/llama.so" --weights "$out/llama" --bench
