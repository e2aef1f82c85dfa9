#!/usr/bin/env bash
# Installs what is missing, builds tfc and runs every test (lit suite check-tfc).
# Ends with lit's summary and a line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1
BUILD_DIR=${BUILD_DIR:-build}
log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv --time-tests "$BUILD_DIR/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | head -1; }
passed=$(count Passed); failed=$(count Failed); unresolved=$(count Unresolved)
skipped=$(count Unsupported)
failed=$(( ${failed:-0} + ${unresolved:-0} ))
rm -f "$log"
# Fuzz smoke runs, 8 s per target (docs/reliability.md), when the sanitizer
# build holds the fuzz targets; scripts/fuzz.sh runs them long.
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-build-sanitize}
if [ -x "$FUZZ_BUILD_DIR/fuzz/tfc-fuzz-config" ]; then
  smoke=$(mktemp -d)
  if BUILD_DIR=$FUZZ_BUILD_DIR WORK_DIR=$smoke scripts/fuzz.sh 8; then
    rm -rf "$smoke"
  else
    echo "fuzz smoke: a finding; inputs kept in $smoke"
    failed=$((failed + 1)); status=1
  fi
else
  echo "fuzz smoke: skipped ($FUZZ_BUILD_DIR/fuzz not built; scripts/sanitize.sh builds it)"
fi
echo "${passed:-0} passed, ${failed} failed, ${skipped:-0} skipped"
exit "$status"
