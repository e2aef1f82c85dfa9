#!/usr/bin/env bash
# tfc against llama.cpp on real-size llama shapes (random bf16 weights, published names, shapes
# and config.json), same checkpoint, same threads, same run:
#   scripts/bench-real-size.sh [--shape 1b|8b|both] [THREADS...]      (default: both, threads 1 2)
#
#   1b  Llama-3.2-1B shape: 1.24 B params, one 2.5 GB model.safetensors, tied embeddings, llama3 rope
#   8b  Llama-3-8B shape:   8.03 B params, 16 GB in four shards + model.safetensors.index.json
#
# For each shape it
#   * makes the checkpoint (scripts/make-real-size-checkpoint.py; cached in $BENCH_DIR/<shape>/),
#   * tfc:       build/bin/tfc-compile DIR -o DIR.so (timed, every run), then build/bin/tfc-run DIR.so --weights DIR once without
#                --bench (load only) and once with --bench per thread count,
#   * llama.cpp: the peer (../shared/peers/llamacpp) converts the same checkpoint to an f16 GGUF
#                (hf2gguf.py --outtype f16, cached by bench.sh under $GGUF_CACHE), times
#                llama_model_load_from_file (a 30-line driver built here against the peer's
#                libraries, with mmap as llama-bench loads, and without), then bench.sh per thread
#                count (llama-bench: KV cache f16, flash attention auto),
# and prints: compile seconds, load seconds, peak RSS (/usr/bin/time -v "Maximum resident set
# size", which counts the mapped file pages a process touched), prefill and decode tokens/s at each
# thread count, and a final table with the ratios tfc / llama.cpp. The page cache is warmed (the
# weight files read once) before each side's load so that both load from memory, not from disk.
# A figure that a tool did not print is "n/a"; a side that fails is reported and the run goes on.
#
# Measured: prefill = one call of PP random tokens into an empty cache (last position's logits),
# decode = TG single-token steps from an empty cache, median of REPS after one warm-up (both tools).
# Env: BENCH_DIR=/tmp/tfc-real-size  GGUF_CACHE=/tmp/llamacpp-peer  SIDES=tfc,llamacpp
#      PP_1B=64 TG_1B=16 REPS_1B=3   PP_8B=32 TG_8B=16 REPS_8B=1   (the 8B decode reads all 16 GB
#      of weights per token: seconds per token)   NICE=10 (nice level of every heavy step)
#      TFC_VMEM_KB: address-space limit (ulimit -v) of tfc-run; default: checkpoint bytes + 3/4 of
#      MemAvailable, so that a tfc that copies the weights (e.g. to f32) fails an allocation
#      instead of waking the OOM killer on a shared machine; 0 = no limit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
peer=$(cd ../shared/peers/llamacpp && pwd)
bench=${BENCH_DIR:-/tmp/tfc-real-size}
export GGUF_CACHE=${GGUF_CACHE:-/tmp/llamacpp-peer}
sides=${SIDES:-tfc,llamacpp}
nice_n=${NICE:-10}
shapes=(1b 8b)
while [ $# -gt 0 ]; do
  case "$1" in
    --shape) case "${2:-}" in 1b|8b) shapes=("$2") ;; both) shapes=(1b 8b) ;;
               *) echo "bench-real-size: --shape 1b|8b|both" >&2; exit 2 ;; esac; shift 2 ;;
    --shape=*) set -- --shape "${1#--shape=}" "${@:2}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
threads=("$@"); [ ${#threads[@]} -gt 0 ] || threads=(1 2)
mkdir -p "$bench"
has() { [[ ",$sides," == *",$1,"* ]]; }
N() { nice -n "$nice_n" "$@"; }
log() { printf '%s\n' "$*" | tee -a "$bench/report.txt"; }
num() { [ -n "${1:-}" ] && printf '%s' "$1" || printf 'n/a'; }
# "Maximum resident set size (kbytes): N" of a /usr/bin/time -v output file, in GiB
rss_gib() { awk -F': ' '/Maximum resident set size/ {printf "%.3f", $2 / 1048576}' "$1" 2>/dev/null; }
wall_s() { awk '/Elapsed \(wall clock\)/ {n = split($NF, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f", s}' "$1" 2>/dev/null; }
maxf() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "") print b; else if (b == "") print a; else print (a + 0 > b + 0 ? a : b) }'; }
warm() { cat "$@" >/dev/null 2>&1 || true; }  # page cache: read the weight files once

[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 || {
  echo "bench-real-size: installing GNU time (apt: time)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
}
if has llamacpp; then
  "$peer/install.sh" >/dev/null
  # lcload: times llama_model_load_from_file (+ a context), the load that llama-bench does not report
  lc="$bench/lcload"
  src=$peer/node_modules/.llama.cpp-src
  if [ ! -x "$lc/lcload" ]; then
    mkdir -p "$lc"
    for f in "$peer"/build/*.so; do ln -sfn "$f" "$lc/$(basename "$f")"; done  # ggml loads libggml-cpu-<isa>.so from the executable's directory
    cat >"$lc/lcload.cpp" <<'EOF'
#include "llama.h"
#include <chrono>
#include <cstdio>
#include <cstring>
static void log_cb(ggml_log_level level, const char * text, void *) { if (level >= GGML_LOG_LEVEL_ERROR) fputs(text, stderr); }
static double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
int main(int argc, char ** argv) {
    if (argc < 2) { fprintf(stderr, "usage: lcload MODEL.gguf [mmap|nommap]\n"); return 2; }
    llama_log_set(log_cb, nullptr);
    ggml_backend_load_all();
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    mp.load_mode = (argc > 2 && !strcmp(argv[2], "nommap")) ? LLAMA_LOAD_MODE_NONE : LLAMA_LOAD_MODE_MMAP;
    mp.progress_callback = [](float, void *) { return true; };
    double t0 = now_s();
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "lcload: failed to load %s\n", argv[1]); return 1; }
    double t1 = now_s();
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 256; cp.n_batch = 64; cp.n_ubatch = 64; cp.n_threads = 1; cp.n_threads_batch = 1; cp.no_perf = true;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "lcload: failed to create a context\n"); return 1; }
    double t2 = now_s();
    printf("lcload: load %.3f s context %.3f s (%s)\n", t1 - t0, t2 - t1, llama_load_mode_name(mp.load_mode));
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
EOF
    g++ -O2 -std=c++17 -I "$src/include" -I "$src/ggml/include" "$lc/lcload.cpp" -o "$lc/lcload" \
      -L "$peer/build" -l:libllama.v0.5.0.so -l:libggml.v0.5.0.so -l:libggml-base.so -Wl,-rpath,'$ORIGIN' -pthread
  fi
fi

declare -A R  # R[shape.side.metric]
: >"$bench/report.txt"
log "# bench-real-size: $(date -u +%FT%TZ), shapes ${shapes[*]}, threads ${threads[*]}, sides $sides, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"

for s in "${shapes[@]}"; do
  case "$s" in
    1b) name=llama-3.2-1b; pp=${PP_1B:-64}; tg=${TG_1B:-16}; reps=${REPS_1B:-3} ;;
    8b) name=llama-3-8b;   pp=${PP_8B:-32}; tg=${TG_8B:-16}; reps=${REPS_8B:-1} ;;
  esac
  dir=$bench/$name
  log ""
  log "## $name: prefill $pp tokens, decode $tg tokens, median of $reps after one warm-up; checkpoint $dir"
  N /usr/bin/python3 scripts/make-real-size-checkpoint.py --shape "$name" "$dir"
  files=("$dir"/*.safetensors)
  ckpt_bytes=$(du -cb "${files[@]}" | tail -1 | cut -f1)

  if has tfc; then
    so=$dir.so
    rm -f "$so"
    if /usr/bin/time -v -o "$bench/$s-compile.time" nice -n "$nice_n" build/bin/tfc-compile "$dir" -o "$so" --quiet \
        2>"$bench/$s-compile.err"; then
      R[$s.tfc.compile]=$(wall_s "$bench/$s-compile.time")
    else
      log "tfc: compile failed: $(tail -3 "$bench/$s-compile.err" | tr '\n' ' ')"; rm -f "$so"
    fi
    log "tfc: compile $(num "${R[$s.tfc.compile]:-}") s ($so)"
    if [ -f "$so" ]; then
      vmem=${TFC_VMEM_KB:-$(( ckpt_bytes / 1024 + $(awk '/MemAvailable/ {print $2}' /proc/meminfo) * 3 / 4 ))}
      tfcrun() {  # LOG TIMEFILE ARGS...: tfc-run under the address-space limit
        local out=$1 tf=$2; shift 2
        ( [ "$vmem" = 0 ] || ulimit -v "$vmem"
          exec /usr/bin/time -v -o "$tf" nice -n "$nice_n" build/bin/tfc-run "$so" --weights "$dir" "$@" ) >"$out" 2>&1
      }
      warm "${files[@]}"
      if tfcrun "$bench/$s-tfc-load.log" "$bench/$s-tfc-load.time"; then
        R[$s.tfc.load]=$(sed -n 's/^weights: bound from .* in \([0-9.][0-9.]*\) *s.*/\1/p' "$bench/$s-tfc-load.log" | head -1)
        R[$s.tfc.loadwall]=$(wall_s "$bench/$s-tfc-load.time")
        R[$s.tfc.rss]=$(rss_gib "$bench/$s-tfc-load.time")
        log "tfc: load $(num "${R[$s.tfc.load]}") s (tfc-run's own figure), load-only process $(num "${R[$s.tfc.loadwall]}") s wall, peak RSS $(num "${R[$s.tfc.rss]}") GiB"
        grep -E '^(memory|weights):' "$bench/$s-tfc-load.log" | sed 's/^/tfc:   /' | tee -a "$bench/report.txt" || true
      else
        log "tfc: load failed (address-space limit ${vmem} KB; TFC_VMEM_KB=0 lifts it): $(grep -v '^\s\|Command exited' "$bench/$s-tfc-load.log" | tail -2 | tr '\n' ' ')"
      fi
      if [ -n "${R[$s.tfc.rss]:-}" ]; then
        for t in "${threads[@]}"; do
          log "tfc: threads=$t, load average $(cut -d' ' -f1-3 /proc/loadavg)"
          if tfcrun "$bench/$s-tfc-t$t.log" "$bench/$s-tfc-t$t.time" --bench --threads "$t" \
              --bench-prompt "$pp" --bench-gen "$tg" --bench-reps "$reps"; then
            R[$s.tfc.pp$t]=$(sed -n 's/^prefill:.* \([0-9.][0-9.]*\) tok\/s.*/\1/p' "$bench/$s-tfc-t$t.log" | head -1)
            R[$s.tfc.tg$t]=$(sed -n 's/^decode:.* \([0-9.][0-9.]*\) tok\/s.*/\1/p' "$bench/$s-tfc-t$t.log" | head -1)
            R[$s.tfc.rss]=$(maxf "${R[$s.tfc.rss]}" "$(rss_gib "$bench/$s-tfc-t$t.time")")
            grep -E '^(memory|prefill|decode):' "$bench/$s-tfc-t$t.log" | sed 's/^/tfc:   /' | tee -a "$bench/report.txt" || true
          else
            log "tfc: --bench failed: $(grep -v '^\s\|Command exited' "$bench/$s-tfc-t$t.log" | tail -2 | tr '\n' ' ')"
          fi
        done
      fi
    fi
  fi

  if has llamacpp; then
    # convert (cached by bench.sh): one logits call makes bench.sh convert, outside the timed runs
    t0=$(date +%s.%N)
    if ! OUTTYPE=f16 N "$peer/bench.sh" dump_logits "$dir" 1 /dev/null 1 >/dev/null 2>"$bench/$s-lc-convert.err"; then
      log "llama.cpp: conversion failed: $(tail -3 "$bench/$s-lc-convert.err" | tr '\n' ' ')"; continue
    fi
    grep -q 'hf2gguf: wrote' "$bench/$s-lc-convert.err" \
      && log "llama.cpp: converted to f16 GGUF in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}') s"
    gguf=""
    for t in "${threads[@]}"; do
      log "llama.cpp: threads=$t, load average $(cut -d' ' -f1-3 /proc/loadavg)"
      if out=$(OUTTYPE=f16 PP=$pp TG=$tg REPS=$reps /usr/bin/time -v -o "$bench/$s-lc-t$t.time" \
                 nice -n "$nice_n" "$peer/bench.sh" "$dir" "$t" 2>"$bench/$s-lc-t$t.err"); then
        line=$(grep "^llamacpp threads=$t " <<<"$out" || true)
        R[$s.lc.pp$t]=$(sed -n "s/.* pp$pp=\([0-9.][0-9.]*\) .*/\1/p" <<<"$line")
        R[$s.lc.tg$t]=$(sed -n "s/.* tg$tg=\([0-9.][0-9.]*\) .*/\1/p" <<<"$line")
        R[$s.lc.rss]=$(maxf "${R[$s.lc.rss]:-}" "$(rss_gib "$bench/$s-lc-t$t.time")")
        log "llama.cpp:   $line"
        [ -n "$gguf" ] || gguf=$(sed -n 's/^# llamacpp: [^,]*, \([^,]*\.gguf\),.*/\1/p' "$bench/$s-lc-t$t.err" | head -1)
      else
        log "llama.cpp: bench.sh failed: $(grep -v '^\s\|Command exited' "$bench/$s-lc-t$t.err" | tail -2 | tr '\n' ' ')"
      fi
    done
    if [ -n "$gguf" ] && [ -f "$GGUF_CACHE/$gguf" ]; then
      R[$s.lc.size]=$(du -b "$GGUF_CACHE/$gguf" | awk '{printf "%.2f", $1 / 1073741824}')
      for mode in mmap nommap; do
        warm "$GGUF_CACHE/$gguf"
        if /usr/bin/time -v -o "$bench/$s-lc-load-$mode.time" nice -n "$nice_n" "$lc/lcload" "$GGUF_CACHE/$gguf" "$mode" \
            >"$bench/$s-lc-load-$mode.log" 2>&1; then
          R[$s.lc.load_$mode]=$(sed -n 's/^lcload: load \([0-9.]*\) s.*/\1/p' "$bench/$s-lc-load-$mode.log")
          R[$s.lc.rss_$mode]=$(rss_gib "$bench/$s-lc-load-$mode.time")
          R[$s.lc.wall_$mode]=$(wall_s "$bench/$s-lc-load-$mode.time")
          log "llama.cpp: load ($mode) $(num "${R[$s.lc.load_$mode]}") s, load-only process $(num "${R[$s.lc.wall_$mode]}") s wall, peak RSS $(num "${R[$s.lc.rss_$mode]}") GiB ($gguf, ${R[$s.lc.size]} GiB)"
        else
          log "llama.cpp: lcload $mode failed: $(tail -2 "$bench/$s-lc-load-$mode.log" | tr '\n' ' ')"
        fi
      done
      R[$s.lc.load]=${R[$s.lc.load_mmap]:-}
    fi
  fi
done

# final table
log ""
log "## summary (tok/s: higher is better; load s and RSS GiB: lower is better; ratio = tfc / llama.cpp)"
row() {  # LABEL TFC LC
  awk -v l="$1" -v a="${2:-}" -v b="${3:-}" 'BEGIN {
    r = (a + 0 > 0 && b + 0 > 0) ? sprintf("%.3f", a / b) : "n/a"
    printf "| %-34s | %10s | %10s | %7s |\n", l, (a == "" ? "n/a" : a), (b == "" ? "n/a" : b), r }' | tee -a "$bench/report.txt"
}
for s in "${shapes[@]}"; do
  case "$s" in 1b) name=llama-3.2-1b; pp=${PP_1B:-64}; tg=${TG_1B:-16} ;; 8b) name=llama-3-8b; pp=${PP_8B:-32}; tg=${TG_8B:-16} ;; esac
  log ""
  log "| $name (tfc: bf16 safetensors; llama.cpp: f16 GGUF) | tfc | llama.cpp | ratio |"
  log "| --- | ---: | ---: | ---: |"
  row "compile s" "${R[$s.tfc.compile]:-}" ""
  row "load s (tfc bind / llama.cpp mmap)" "${R[$s.tfc.load]:-}" "${R[$s.lc.load]:-}"
  row "load-only process wall s" "${R[$s.tfc.loadwall]:-}" "${R[$s.lc.wall_mmap]:-}"
  row "llama.cpp load without mmap s" "" "${R[$s.lc.load_nommap]:-}"
  row "peak RSS GiB (bench runs)" "${R[$s.tfc.rss]:-}" "${R[$s.lc.rss]:-}"
  for t in "${threads[@]}"; do
    row "prefill $pp tok/s, threads=$t" "${R[$s.tfc.pp$t]:-}" "${R[$s.lc.pp$t]:-}"
    row "decode $tg tok/s, threads=$t" "${R[$s.tfc.tg$t]:-}" "${R[$s.lc.tg$t]:-}"
  done
done
log ""
log "(logs: $bench/*.log *.err *.time; this report: $bench/report.txt)"
