#!/usr/bin/env bash
# The sanitizer build (docs/reliability.md): ASan + UBSan (+ libFuzzer
# coverage) build of everything into its own directory, the fuzz targets
# included, then the whole lit suite on it (C API and end-to-end tests too).
# Usage: scripts/sanitize.sh [lit args...]     (BUILD_DIR, JOBS override)
# Ends with lit's summary and "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build || exit 1
BUILD_DIR=${BUILD_DIR:-build-sanitize}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # LLVM's own switches (HandleLLVMOptions): -fsanitize=address,undefined
  # (vptr and function off: LLVM is built without RTTI) on every target, and
  # -fsanitize=fuzzer-no-link so the fuzz targets see coverage of the
  # importer and the runtime. -O1 keeps the build and the suite bearable.
  cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -g1" -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" \
    -DLLVM_USE_SANITIZER="Address;Undefined" -DLLVM_USE_SANITIZE_COVERAGE=ON \
    -DTFC_FUZZ=ON \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 || exit 1
fi
ninja -C "$BUILD_DIR" -j "${JOBS:-2}" all tfc-fuzzers || exit 1
log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv "$@" "$BUILD_DIR/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | head -1; }
failed=$(( $(count Failed || true) + 0 + $(count Unresolved || true) + 0 ))
passed=$(count Passed); skipped=$(count Unsupported)
echo "${passed:-0} passed, ${failed} failed, ${skipped:-0} skipped"
rm -f "$log"
exit "$status"
