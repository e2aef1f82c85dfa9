#!/usr/bin/env bash
# Each optimisation pass switched, one at a time, on one model, against the
# independent PyTorch reference:
#   check-passes-off.sh WORKDIR FAMILY [--rtol R] [make_model.py options...]
# Makes the random checkpoint and its float64 reference logits once (as
# check-model.sh does), reads the optimisation passes and which of them are
# off by default from `tfc-compile --help` (so a pass added, or one whose
# default changes, is covered without editing the tests), and compiles the
# model once per variant: the defaults; each pass that is on by default off
# (--disable-pass); each pass that is off by default on (--enable-pass), and
# all of those together when there are several (every pass on). Each variant
# runs one prefill and prefill 3 + decode, compared with the reference at
# check-model.sh's tolerance: max abs error <= R * max|logit|, R = 1e-4 (f32
# code against a float64 reference; the passes reorder the arithmetic at
# most). A variant whose library is byte-identical to an earlier one's (the
# pass changes nothing in this model) is not rerun and says so.
# Prints one line per variant and check, then `passes-off NAME: N variants,
# all within rtol R`; on any failure, a FAIL line per failed check naming the
# model, the variant, and the error against the tolerance (and the defaults'
# error), and exits 1. TFC_BIN names the directory of tfc-compile and tfc-run.
set -euo pipefail
work=$1; family=$2; shift 2
rtol=1e-4; make_args=(); name=$family
while [ $# -gt 0 ]; do
  case $1 in
    --rtol) rtol=$2; shift 2 ;;
    --card) name=$(basename "$2" .json); make_args+=("$1" "$2"); shift 2 ;;
    *) make_args+=("$1"); shift ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
ref="$here/reference"
bin=${TFC_BIN:?set TFC_BIN to the directory of tfc-compile and tfc-run}
py=/usr/bin/python3

# The two lists tfc-compile generates from the pipelines' table of
# optimisations: every pass --disable-pass accepts, and those --enable-pass
# runs (off by default).
help=$("$bin/tfc-compile" --help)
passes=$(sed -n 's/^ *--disable-pass=.*exp): //p' <<<"$help" | tr ',' ' ')
off_by_default=$(sed -n 's/^ *--enable-pass=.* off by default: //p' <<<"$help" | tr ',' ' ')
[ -n "${passes// }" ] || {
  echo "error: no pass list in the --disable-pass line of tfc-compile --help"; exit 1; }
variants=("")
labels=("default")
on=()
for p in $passes; do
  if [[ " $off_by_default " == *" $p "* ]]; then
    variants+=("--enable-pass=$p"); labels+=("--enable-pass=$p"); on+=("$p")
  else
    variants+=("--disable-pass=$p"); labels+=("--disable-pass=$p")
  fi
done
if [ ${#on[@]} -gt 1 ]; then
  all=$(IFS=,; echo "${on[*]}")
  variants+=("--enable-pass=$all"); labels+=("--enable-pass=$all (every pass on)")
fi

rm -rf "$work"; mkdir -p "$work"
"$py" "$ref/make_model.py" --family "$family" --out "$work/model" ${make_args[@]+"${make_args[@]}"} >/dev/null
tokens=$(cat "$work/model/tokens.txt")

# One line per variant for the comparison below: index, label, and either
# `run` (compare v<i>.prefill.f32 and v<i>.decode.f32), `same <j>` (library
# identical to variant j's) or `error <message>` (compile or run failed).
plan="$work/plan.txt"; : >"$plan"
for i in "${!variants[@]}"; do
  lib="$work/v$i.so"; flags=${variants[$i]}
  if ! "$bin/tfc-compile" "$work/model" -o "$lib" --quiet $flags 2>"$work/v$i.err"; then
    printf '%s\t%s\terror tfc-compile failed: %s\n' "$i" "${labels[$i]}" \
      "$(tail -n 1 "$work/v$i.err")" >>"$plan"
    continue
  fi
  same=
  for ((j = 0; j < i; j++)); do
    if [ -f "$work/v$j.so" ] && cmp -s "$lib" "$work/v$j.so"; then same=$j; break; fi
  done
  if [ -n "$same" ]; then
    printf '%s\t%s\tsame %s\n' "$i" "${labels[$i]}" "$same" >>"$plan"
    continue
  fi
  if "$bin/tfc-run" "$lib" --weights "$work/model" --tokens "$tokens" \
       --dump-logits "$work/v$i.prefill.f32" --threads 2 >/dev/null 2>"$work/v$i.err" &&
     "$bin/tfc-run" "$lib" --weights "$work/model" --tokens "$tokens" \
       --prefill-tokens 3 --dump-logits "$work/v$i.decode.f32" --threads 2 >/dev/null 2>"$work/v$i.err"; then
    printf '%s\t%s\trun\n' "$i" "${labels[$i]}" >>"$plan"
  else
    printf '%s\t%s\terror tfc-run failed: %s\n' "$i" "${labels[$i]}" \
      "$(tail -n 1 "$work/v$i.err")" >>"$plan"
  fi
done

# All comparisons in one Python process (numpy's import is most of a
# compare.py run).
"$py" - "$ref" "$work" "$name" "$rtol" <<'EOF'
import json, os, sys
ref, work, name, rtol_text = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rtol = float(rtol_text)
sys.path.insert(0, ref)
from compare import compare

cfg = json.load(open(os.path.join(work, "model", "config.json")))
vocab = cfg.get("vocab_size") or cfg["padded_vocab_size"]
expected = os.path.join(work, "model", "logits.f32")
checks = [("prefill", "prefill"), ("prefill 3 + decode", "decode")]
width = max(len(l.split("\t")[1]) for l in open(os.path.join(work, "plan.txt")))
results, labels, failures, variants = {}, {}, [], 0
for line in open(os.path.join(work, "plan.txt")):
    index, label, what = line.rstrip("\n").split("\t")
    variants += 1
    labels[index] = label
    head = f"{name} {label:<{width}}"
    if what.startswith("same "):
        print(f"{head}  same library as {labels[what[5:]]}: not rerun")
        results[index] = results[what[5:]]
        continue
    if what.startswith("error "):
        print(f"{head}  {what[6:]}")
        failures.append(f"FAIL {name} {label}: {what[6:]}")
        results[index] = {}
        continue
    results[index] = {}
    for check, stem in checks:
        ok, report = compare(os.path.join(work, f"v{index}.{stem}.f32"), expected, vocab, rtol)
        ratio = report.split("ratio=")[1].split()[0] if "ratio=" in report else "?"
        results[index][check] = ratio
        print(f"{head}  {check + ':':<19} {report.splitlines()[0]}  {'ok' if ok else 'FAIL'}")
        if not ok:
            base = results.get("0", {}).get(check, "?")
            where = report.splitlines()[-1]
            where = where[where.index("(") + 1:-1] if "(worst" in where else where
            failures.append(f"FAIL {name} {label}, {check}: error ratio {ratio} > rtol {rtol_text}"
                            f" (defaults: ratio {base}; {where})")
for f in failures:
    print(f)
if failures:
    sys.exit(1)
print(f"passes-off {name}: {variants} variants, all within rtol {rtol_text}")
EOF
