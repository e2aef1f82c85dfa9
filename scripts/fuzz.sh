#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ (docs/reliability.md) on their seed
# corpora and dictionaries. The targets are built by scripts/sanitize.sh
# (ASan + UBSan + coverage) into $BUILD_DIR/fuzz.
#   scripts/fuzz.sh [SECONDS] [TARGET...]    (default: 300 s each, all five)
# New inputs go to $WORK_DIR/<target>/corpus (the seeds in the repository are
# read, never written); a finding is written there as crash-*/leak-*/oom-*
# and the script exits 1. Each run prints libFuzzer's execs per target.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-sanitize}
WORK_DIR=${WORK_DIR:-$BUILD_DIR/fuzz-work}
seconds=${1:-300}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config card safetensors json manifest)
# The MLIR allocator's user poisoning: see test/lit.cfg.py.
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/test/Sanitizers/lsan.supp}
status=0
for t in "${targets[@]}"; do
  bin="$BUILD_DIR/fuzz/tfc-fuzz-$t"
  [ -x "$bin" ] || { echo "fuzz: $bin not built (scripts/sanitize.sh builds it)"; exit 1; }
  work="$WORK_DIR/$t"; mkdir -p "$work/corpus"
  log="$work/log"
  "$bin" "$work/corpus" "fuzz/corpus/$t" -dict="fuzz/$t.dict" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$work/" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${execs:-?} execs in ${seconds}s, $cov, no finding"
  else
    echo "fuzz $t: FINDING (exit $rc) after ${execs:-?} execs; see $log and $work/crash-*"
    status=1
  fi
done
exit $status
