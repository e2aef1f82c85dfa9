#!/usr/bin/python3
"""Derive a tokenizer.json of another style from a real one, for the HF comparison.

  make-variant.py VARIANT SOURCE_TOKENIZER_JSON OUT_TOKENIZER_JSON

No npm package ships a llama-2/mistral (Metaspace, SentencePiece BPE) or a
gpt2 (ByteLevel with its built-in regex) tokenizer.json, so these keep a real
vocabulary and merges and take the other sections from the published files:
  llama2    gemma3's vocab (byte fallback); normalizer Prepend("▁") + Replace(" ", "▁"),
            no pre-tokenizer, decoder Replace/ByteFallback/Fuse/Strip(" ", 1, 0)
            (meta-llama/Llama-2-7b-hf)
  mistral   gemma3's vocab; Metaspace pre-tokenizer, prepend_scheme "first",
            split false; Metaspace decoder + ByteFallback + Fuse (mistral v0.3 style)
  metasplit gemma3's vocab; Metaspace with prepend_scheme "always", split true
  gpt2      llama3's vocab and merges; ByteLevel pre-tokenizer with GPT-2's regex
            (use_regex true), no ignore_merges (openai-community/gpt2)
"""
import json
import sys

variant, src, out = sys.argv[1:4]
t = json.load(open(src, encoding="utf-8"))
S = "\u2581"
if variant == "llama2":
    t["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": S},
        {"type": "Replace", "pattern": {"String": " "}, "content": S}]}
    t["pre_tokenizer"] = None
    t["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": S}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
elif variant in ("mistral", "metasplit"):
    scheme, split = ("first", False) if variant == "mistral" else ("always", True)
    t["normalizer"] = None
    t["pre_tokenizer"] = {"type": "Metaspace", "replacement": S,
                          "prepend_scheme": scheme, "split": split}
    t["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Metaspace", "replacement": S, "prepend_scheme": scheme, "split": split},
        {"type": "ByteFallback"}, {"type": "Fuse"}]}
elif variant == "gpt2":
    t["pre_tokenizer"] = {"type": "ByteLevel", "add_prefix_space": False,
                          "trim_offsets": True, "use_regex": True}
    t["model"]["ignore_merges"] = False
else:
    sys.exit("unknown variant " + variant)
json.dump(t, open(out, "w", encoding="utf-8"), ensure_ascii=False)
