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
echo "${passed:-0} passed, ${failed} failed, ${skipped:-0} skipped"
exit "$status"
