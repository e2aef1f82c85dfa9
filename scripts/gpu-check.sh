#!/usr/bin/env bash
# The GPU tests of --target=cuda, in two halves, so that a GPU machine runs
# them at once and builds nothing:
#
#   scripts/gpu-check.sh prepare DIR [FAMILY...]   (here, with tfc built)
#       For each family (default: every family of test/e2e), a random-weight
#       checkpoint and its PyTorch reference logits (test/e2e/reference), and
#       the model compiled with --target=cuda for sm_90; a copy of tfc-run
#       and the shared libraries it needs beyond libc and libstdc++; this
#       script. Checks with ldd that nothing in DIR needs libMLIR.
#   DIR/gpu-check.sh run DIR                       (on the GPU machine)
#       For each model: prefill logits, prefill 3 + decode, and 4 sessions
#       of one batch decoded together, each against the reference (max abs
#       error <= 1e-4 of max |logit|, f32 kernels against float64, as the CPU
#       tests); then tfc-run --bench figures. Prints PASS/FAIL lines and
#       "N passed, N failed"; exits 1 on a failure. Without a GPU (no
#       nvidia-smi, or it lists none) it says so and exits 0: skipped.
#
# DIR stays small (a few MB per family) so that it can travel to the GPU
# machine. Python 3 (no numpy) is all the run half needs beyond DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:?usage: gpu-check.sh prepare|run DIR [FAMILY...]}
dir=${2:?usage: gpu-check.sh prepare|run DIR [FAMILY...]}
shift 2

prepare() {
  local src bin py families
  src=$(cd "$here/.." && pwd)
  bin=${TFC_BIN:-$src/build/bin}
  py=/usr/bin/python3
  families=("$@")
  if [ ${#families[@]} -eq 0 ]; then
    families=(llama mistral qwen2 qwen3 gemma gemma2 mixtral gpt2 gpt_neox
              phi falcon bloom mpt olmo2 starcoder2 stablelm)
  fi
  rm -rf "$dir"; mkdir -p "$dir/models" "$dir/lib"
  for family in "${families[@]}"; do
    echo "preparing $family"
    "$py" "$src/test/e2e/reference/make_model.py" --family "$family" \
      --out "$dir/models/$family" >/dev/null
    "$bin/tfc-compile" "$dir/models/$family" --target=cuda --gpu-arch=sm_90 \
      -o "$dir/models/$family/model.so" --quiet
    "$py" -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c.get("vocab_size") or c["padded_vocab_size"])' \
      "$dir/models/$family/config.json" > "$dir/models/$family/vocab.txt"
  done
  cp "$bin/tfc-run" "$dir/"
  cp "$here/gpu-check.sh" "$dir/"
  # tfc-run's libraries outside the C and C++ runtimes (PCRE2, utf8proc).
  ldd "$bin/tfc-run" | awk '/=> \// {print $3}' | while read -r lib; do
    case $(basename "$lib") in
      libc.so*|libm.so*|libstdc++.so*|libgcc_s.so*|ld-linux*) ;;
      *) cp -L "$lib" "$dir/lib/" ;;
    esac
  done
  if ldd "$dir/tfc-run" "$dir"/models/*/model.so | grep -q libMLIR; then
    echo "error: a binary in $dir needs libMLIR" >&2
    exit 1
  fi
  du -sh "$dir"
}

# compare ACTUAL EXPECTED VOCAB REPEAT: prints the error ratio, fails above
# 1e-4 (test/e2e/reference/compare.py's rule, without numpy).
compare() {
  python3 - "$@" <<'EOF'
import struct, sys, math
actual, expected, vocab, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def read(path):
    data = open(path, "rb").read()
    return struct.unpack("<%df" % (len(data) // 4), data)
act, exp = read(actual), read(expected) * repeat
if len(act) != len(exp) or not exp or len(exp) % vocab:
    print("size mismatch: %d values, expected %d" % (len(act), len(exp)))
    sys.exit(1)
if not all(math.isfinite(a) for a in act):
    print("non-finite logits")
    sys.exit(1)
err = max(abs(a - e) for a, e in zip(act, exp))
scale = max(abs(e) for e in exp)
print("ratio=%.3g" % (err / scale))
sys.exit(0 if err <= 1e-4 * scale else 1)
EOF
}

run() {
  if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null 2>&1; then
    echo "skipped: no NVIDIA GPU on this machine (nvidia-smi lists none)"
    exit 0
  fi
  nvidia-smi -L
  export LD_LIBRARY_PATH="$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  local passed=0 failed=0 run=$dir/tfc-run
  for model in "$dir"/models/*/; do
    local family vocab tokens out
    family=$(basename "$model")
    vocab=$(cat "$model/vocab.txt")
    tokens=$(cat "$model/tokens.txt")
    out=$(mktemp -d)
    for check in prefill decode batch; do
      local args=() repeat=1 report
      case $check in
        decode) args=(--prefill-tokens 3) ;;
        batch) args=(--batch 4 --prefill-tokens 2); repeat=4 ;;
      esac
      if report=$("$run" "$model/model.so" --weights "$model" --tokens "$tokens" \
            --device cuda --dump-logits "$out/$check.f32" "${args[@]}" 2>&1 >/dev/null &&
          compare "$out/$check.f32" "$model/logits.f32" "$vocab" "$repeat"); then
        echo "PASS $family $check $report"; passed=$((passed + 1))
      else
        echo "FAIL $family $check: $report"; failed=$((failed + 1))
      fi
    done
    "$run" "$model/model.so" --weights "$model" --device cuda --bench \
      --bench-prompt 64 --bench-gen 32 --bench-reps 3 2>&1 | grep -E '^(prefill|decode):' |
      sed "s/^/bench $family: /" || true
    rm -rf "$out"
  done
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}

case $mode in
  prepare) prepare "$@" ;;
  run) run ;;
  *) echo "usage: gpu-check.sh prepare|run DIR [FAMILY...]" >&2; exit 2 ;;
esac
