#!/usr/bin/env bash
# Compares tfc-tokenize with Hugging Face's tokenizers on the corpus:
#   check-hf.sh WORKDIR TOKENIZER_JSON [--lossy]
# encodes every line of Inputs/corpus.jsonl with tfc-tokenize --jsonl, decodes
# the ids back, and has hf-check.js compare both with the crate's encode and
# decode (ids identical on every line; decode(encode(x)) == x unless --lossy,
# for tokenizers whose normalizer does not round-trip: then tfc's decode must
# equal the crate's). TFC_BIN names the directory of tfc-tokenize and
# HF_MODULES the node_modules folder holding @anush008/tokenizers.
set -euo pipefail
work=$1; tokenizer=$2; mode=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
corpus="$here/Inputs/corpus.jsonl"
mkdir -p "$work"
"$TFC_BIN/tfc-tokenize" "$tokenizer" --jsonl < "$corpus" > "$work/ids.txt"
"$TFC_BIN/tfc-tokenize" "$tokenizer" --jsonl --decode < "$work/ids.txt" > "$work/text.jsonl"
node "$here/hf-check.js" "$HF_MODULES" "$tokenizer" "$corpus" "$work/ids.txt" "$work/text.jsonl" $mode
