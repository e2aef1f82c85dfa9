#!/usr/bin/env bash
# The main job on an example: installs what is missing, builds tfc, imports
# examples/llama-tiny/config.json and prints its IR through the pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build/bin/tfc-opt examples/llama-block.mlir --mlir-print-ir-after-all 2>&1
