#!/usr/bin/env bash
# tfc-run with text on a random llama checkpoint (test/e2e/reference) and a
# small tokenizer (make-tiny-tokenizer.py): greedy text equals the decode of
# the greedy ids of the --tokens path (cut at the first EOS), the same seed
# gives the same text, --prompt-file equals --prompt, and --perplexity
# agrees with the float64 PyTorch reference (perplexity.py).
#   check-text.sh WORKDIR      (TFC_BIN: the directory of the tools)
set -euo pipefail
work=$1
here=$(cd "$(dirname "$0")" && pwd)
ref="$here/../e2e/reference"
bin=${TFC_BIN:?set TFC_BIN}
py=/usr/bin/python3
rm -rf "$work"; mkdir -p "$work"
"$py" "$ref/make_model.py" --family llama --out "$work/model" --prompt-len 40 >/dev/null
"$py" "$here/make-tiny-tokenizer.py" "$work/model"
"$bin/tfc-compile" "$work/model" -o "$work/model.so" --quiet
run() { "$bin/tfc-run" "$work/model.so" --weights "$work/model" --threads 2 "$@"; }
prompt="the quick brown fox"

# Greedy: the text path against the ids path.
ids=$(printf '%s' "$prompt" | "$bin/tfc-tokenize" "$work/model" --add-special)
gen=$(run --tokens "$ids" --max-new-tokens 16)
eos=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["eos_token_id"])' "$work/model/config.json")
cut=$(echo "$gen" | tr ',' '\n' | awk -v e="$eos" '$1 == e {exit} {print}' | paste -sd, -)
expected=$(echo "$cut" | "$bin/tfc-tokenize" "$work/model" --decode --skip-special)
greedy=$(run --prompt "$prompt" --temperature 0 --max-new-tokens 16)
[ "$greedy" = "$expected" ] || { echo "greedy text '$greedy' != decode of greedy ids '$expected'"; exit 1; }
echo "greedy text equals the decoded greedy ids: $(echo "$cut" | tr ',' '\n' | grep -c .) tokens"
# Temperature 0 ignores the seed and the filters.
other=$(run --prompt "$prompt" --temperature 0 --top-k 3 --seed 5 --max-new-tokens 16)
[ "$other" = "$greedy" ] || { echo "temperature 0 depends on other options"; exit 1; }

# Sampling: the same seed, the same text; --prompt-file is --prompt.
printf '%s' "$prompt" > "$work/prompt.txt"
a=$(run --prompt "$prompt" --seed 42 --temperature 1.0 --top-k 50 --top-p 0.9 --min-p 0.02 --repeat-penalty 1.1 --max-new-tokens 24)
b=$(run --prompt-file "$work/prompt.txt" --seed 42 --temperature 1.0 --top-k 50 --top-p 0.9 --min-p 0.02 --repeat-penalty 1.1 --max-new-tokens 24)
[ "$a" = "$b" ] || { echo "same seed, different text: '$a' vs '$b'"; exit 1; }
differ=0
for s in 1 2 3; do
  c=$(run --prompt "$prompt" --seed $s --temperature 1.0 --top-k 0 --top-p 1 --min-p 0 --max-new-tokens 24)
  [ "$c" != "$a" ] && differ=1
done
[ "$differ" = 1 ] || { echo "other seeds gave the same text"; exit 1; }
echo "sampling: same seed same text, other seeds other text"
# Tokens sampled with --tokens and a temperature are reproducible too.
s1=$(run --tokens "$ids" --max-new-tokens 8 --temperature 0.7 --seed 9)
s2=$(run --tokens "$ids" --max-new-tokens 8 --temperature 0.7 --seed 9)
[ "$s1" = "$s2" ] || { echo "--tokens sampling not reproducible"; exit 1; }

# Perplexity against the reference: windows of 16 over 3+ windows.
cat > "$work/text.txt" <<'TEXT'
the quick brown fox jumps over the lazy dog. she sells sea shells on the sea shore.
to be or not to be, that is the question. hello world, this is a test.
TEXT
run --perplexity "$work/text.txt" --ctx 16 > "$work/ppl.txt" 2> "$work/ppl.err"
grep -q "perplexity: window" "$work/ppl.err" || { echo "no progress line"; exit 1; }
"$bin/tfc-tokenize" "$work/model" < "$work/text.txt" > "$work/ids.txt"
cat "$work/ppl.txt"
"$py" "$ref/perplexity.py" "$work/model" "$work/ids.txt" --ctx 16 --check "$work/ppl.txt" --rtol 1e-4
