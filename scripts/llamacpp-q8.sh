#!/usr/bin/env bash
# llama.cpp Q8_0 baseline and greedy-token check, on the llama.cpp CPU peer (../shared/peers/llamacpp).
#
#   scripts/llamacpp-q8.sh MODEL_DIR
#       Prints the path of a Q8_0 GGUF of MODEL_DIR (HF llama checkpoint), made on demand: the F32
#       GGUF that the peer's bench.sh makes (its cache, same name; converted with hf2gguf.py if it
#       is missing or stale), quantized by llama.cpp's llama_model_quantize (scripts/bench/lcquantize.cpp)
#       into <same name>-q8_0.gguf beside it. Only that path goes to stdout.
#   scripts/llamacpp-q8.sh bench MODEL_DIR [THREADS...]               (default threads: 1 2)
#       llama.cpp prefill/decode on the Q8_0 GGUF, by the peer's bench.sh (same tool, flags, medians):
#         llamacpp threads=1 pp128=X tok/s tg64=Y tok/s
#   scripts/llamacpp-q8.sh greedy MODEL_DIR PROMPT_IDS N [q8_0|q4_0|f32]  (default q8_0)
#       The N token ids llama.cpp picks greedily after PROMPT_IDS (comma-separated), comma-separated
#       on one line (scripts/bench/lcgreedy.cpp: KV cache F32, no flash attention). f32 = the
#       unquantized F32 GGUF, as a control.
#
# Env: QTYPE=q8_0|q4_0 (the quantized type of the first two forms); GGUF_CACHE=/tmp/llamacpp-peer
#      (bench.sh's); LLAMACPP_PEER (default: ../shared/peers/llamacpp beside the repo); NICE=10;
#      GREEDY_THREADS=1; LCGREEDY_MARGINS=1 (top-1 minus top-2 logit per step, on stderr);
#      bench.sh's PP TG REPS DRIVER BENCH_ARGS pass through to it.
# Drivers are built once under ${TMPDIR:-/tmp}/llamacpp-q8/. Progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peer="$(cd "${LLAMACPP_PEER:-$here/../../shared/peers/llamacpp}" && pwd)"
export GGUF_CACHE=${GGUF_CACHE:-/tmp/llamacpp-peer}
QTYPE=${QTYPE:-q8_0}
nice_n=${NICE:-10}
bin="${TMPDIR:-/tmp}/llamacpp-q8"
PY=/usr/bin/python3

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }
die() { echo "llamacpp-q8: $*" >&2; exit 1; }

ensure_peer() {
  src="$peer/node_modules/.llama.cpp-src"
  if [ ! -x "$peer/build/lcpeer" ] || [ ! -f "$src/include/llama.h" ]; then
    "$peer/install.sh" >&2
  fi
}

build_driver() {  # NAME: scripts/bench/NAME.cpp -> $bin/NAME, rebuilt when the source is newer
  local name=$1 exe="$bin/$1"
  mkdir -p "$bin"
  # ggml's backend loader looks for libggml-cpu-<isa>.so in the executable's directory
  for f in "$peer"/build/*.so; do ln -sfn "$f" "$bin/$(basename "$f")"; done
  if [ ! -x "$exe" ] || [ "$here/bench/$name.cpp" -nt "$exe" ]; then
    echo "llamacpp-q8: building $exe" >&2
    g++ -O2 -DNDEBUG -std=c++17 -I "$src/include" -I "$src/ggml/include" "$here/bench/$name.cpp" \
      -o "$exe.tmp.$$" -L "$peer/build" -l:libllama.v0.5.0.so -l:libggml.v0.5.0.so -l:libggml-base.so \
      -Wl,-rpath,'$ORIGIN' -pthread
    mv -f "$exe.tmp.$$" "$exe"  # atomic, in case two runs build at once
  fi
}

gguf_f32() {  # MODEL_DIR -> bench.sh's F32 GGUF: same name and staleness rule as its gguf_for
  local abs key out newest
  abs="$(cd "$1" && pwd)"
  key="$(printf '%s' "$abs" | sed 's#^/##; s#[^A-Za-z0-9._-]#_#g')"
  mkdir -p "$GGUF_CACHE"
  out="$GGUF_CACHE/$key-f32.gguf"
  newest="$(ls -t "$abs"/config.json "$abs"/*.safetensors | head -1)"
  if [ ! -f "$out" ] || [ "$newest" -nt "$out" ] || [ "$peer/hf2gguf.py" -nt "$out" ]; then
    nice -n "$nice_n" "$PY" "$peer/hf2gguf.py" "$abs" "$out" --outtype f32 >&2
  fi
  printf '%s\n' "$out"
}

gguf_quant() {  # MODEL_DIR TYPE -> <bench.sh's name>-TYPE.gguf, quantized from the F32 one when stale
  local f32 out
  f32="$(gguf_f32 "$1")"
  out="${f32%-f32.gguf}-$2.gguf"
  build_driver lcquantize
  if [ ! -f "$out" ] || [ "$f32" -nt "$out" ] || [ "$here/bench/lcquantize.cpp" -nt "$out" ]; then
    # the .gguf ending stays last: bench.sh's log line and llama.cpp's tools expect it
    nice -n "$nice_n" "$bin/lcquantize" "$f32" "$out.tmp.$$.gguf" "$2" >&2
    mv -f "$out.tmp.$$.gguf" "$out"
  fi
  printf '%s\n' "$out"
}

case "$QTYPE" in q8_0|q4_0) ;; *) die "QTYPE must be q8_0 or q4_0" ;; esac
[ $# -ge 1 ] || usage
case "$1" in
  -h|--help) usage 0 ;;
  bench)
    [ $# -ge 2 ] || usage
    dir=$2; shift 2
    ensure_peer
    gguf_quant "$dir" "$QTYPE" >/dev/null
    # bench.sh takes no GGUF path, but it uses "$GGUF_CACHE/<key>-$OUTTYPE.gguf" as is while that
    # is newer than the checkpoint and hf2gguf.py, which gguf_quant has just made sure of; so
    # OUTTYPE=$QTYPE points it at the quantized file with its own llama-bench flags and parsing.
    OUTTYPE=$QTYPE exec nice -n "$nice_n" "$peer/bench.sh" "$dir" "$@"
    ;;
  greedy)
    if [ $# -lt 4 ] || [ $# -gt 5 ]; then usage; fi
    dir=$2 ids=$3 n=$4 type=${5:-q8_0}
    ensure_peer
    case "$type" in
      f32) gguf="$(gguf_f32 "$dir")" ;;
      q8_0|q4_0) gguf="$(gguf_quant "$dir" "$type")" ;;
      *) die "greedy: type must be q8_0, q4_0 or f32" ;;
    esac
    build_driver lcgreedy
    exec nice -n "$nice_n" "$bin/lcgreedy" "$gguf" "$ids" "$n" "${GREEDY_THREADS:-1}"
    ;;
  *)
    [ $# -eq 1 ] || usage
    ensure_peer
    gguf_quant "$1" "$QTYPE"
    ;;
esac
