#!/usr/bin/env bash
# Compiles every family's real-shaped config (test/Importer/Inputs) and the
# example model cards for the GPU: PTX for sm_90 with no libdevice (__nv_)
# call or other extern left, no register spill in any kernel (ptxas -v), and
# a cubin from tfc-compile --emit=cubin for sm_80 (an ELF file), and for
# four families the --target=cuda library for sm_90.
# Prints one line per config and a summary.
#   cuda-every-family.sh TFC_COMPILE PTXAS SRC_DIR WORK_DIR
set -uo pipefail
compile=$1 ptxas=$2 src=$3 work=$4
mkdir -p "$work"
configs=0 cubins=0 failed=0
for config in "$src"/test/Importer/Inputs/*.json "$src"/examples/cards/*.json; do
  name=$(basename "$config" .json)
  # An input of the importer's error tests (yarn RoPE scaling is refused).
  [ "$name" = deepseek-v2-lite-yarn ] && continue
  configs=$((configs + 1))
  problems=()
  ptx=$work/$name.ptx
  if "$compile" "$config" --target=cuda --emit=ptx --quiet -o "$ptx" 2>"$work/$name.err"; then
    grep -q -e '__nv_' -e '\.extern' "$ptx" && problems+=("extern call in the PTX")
    kernels=$(grep -c '^\.visible \.entry' "$ptx")
    unspilled=$("$ptxas" -v -arch=sm_90 "$ptx" -o /dev/null 2>&1 |
      grep -c ' 0 bytes spill stores, 0 bytes spill loads')
    [ "$kernels" -gt 0 ] && [ "$unspilled" = "$kernels" ] ||
      problems+=("$unspilled of $kernels kernels without spills")
  else
    problems+=("ptx: $(head -1 "$work/$name.err")")
    kernels=0
  fi
  for arch in sm_80; do
    cubin=$work/$name.$arch.cubin
    if "$compile" "$config" --target=cuda --gpu-arch=$arch --emit=cubin --quiet \
        -o "$cubin" 2>"$work/$name.err" && [ "$(head -c4 "$cubin" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
      cubins=$((cubins + 1))
    else
      problems+=("cubin $arch: $(head -1 "$work/$name.err")")
    fi
  done
  # The library for sm_90 (its cubin by the same ptxas), for the families
  # whose host code differs most (dense, MoE, MLA, sliding windows): linked
  # without libomp or libMLIR. (The PTX above already ran the whole GPU
  # pipeline, tfc-gpu-device-memory's check of the host code included.)
  built=""
  case $name in
    llama-3.1-8b|deepseek_v2|mixtral|gemma2)
      library=$work/$name.so
      if "$compile" "$config" --target=cuda --quiet -o "$library" 2>"$work/$name.err"; then
        ldd "$library" | grep -q -e libMLIR -e libomp && problems+=("library links libMLIR or libomp")
        built=", library sm_90"
      else
        problems+=("library: $(head -1 "$work/$name.err")")
      fi
      rm -f "$library" ;;
  esac
  if [ ${#problems[@]} -eq 0 ]; then
    echo "$name: $kernels kernels, no spills, cubin sm_80$built"
  else
    failed=$((failed + 1))
    echo "FAILED $name: ${problems[*]}"
  fi
done
echo "$configs configs: $cubins cubins, $failed failed"
