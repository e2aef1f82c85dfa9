#!/usr/bin/python3
"""Write a small SentencePiece-style BPE tokenizer.json of exactly 256 ids.

  make-tiny-tokenizer.py OUT_DIR_OR_FILE

The layout of meta-llama/Llama-2-7b-hf's tokenizer.json (Prepend("▁") +
Replace(" ", "▁") normalizer, Replace/Fuse/Strip decoder, "<s> $A"
template) with a vocabulary that fits the e2e reference's random models
(vocab 256): <unk> <s> </s>, "▁", printable ASCII, newline and tab, then
merges learnt on a few English sentences, then Latin-1 letters until 256 ids.
"""
import collections
import json
import os
import sys

S = "\u2581"
out = sys.argv[1]
if os.path.isdir(out) or not out.endswith(".json"):
    os.makedirs(out, exist_ok=True)
    out = os.path.join(out, "tokenizer.json")
vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, S: 3}
for c in [chr(i) for i in range(33, 127)] + ["\n", "\t"]:
    vocab[c] = len(vocab)
text = ("the quick brown fox jumps over the lazy dog. she sells sea shells "
        "on the sea shore. to be or not to be, that is the question. a "
        "model reads text and writes text; the tokens it reads are ids. "
        "hello world, this is a test of the tokenizer and the model.")
seqs = [list(S + w) for w in text.split(" ")]
merges = []
while len(vocab) < 256:
    pairs = collections.Counter()
    for s in seqs:
        for a, b in zip(s, s[1:]):
            pairs[(a, b)] += 1
    if not pairs:
        break
    (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
    merges.append([a, b])
    vocab[a + b] = len(vocab)
    for s in seqs:
        i = 0
        while i < len(s) - 1:
            if s[i] == a and s[i + 1] == b:
                s[i:i + 2] = [a + b]
            i += 1
# Fill the rest with Latin-1 letters, so every id a 256-entry model can
# produce decodes.
for cp in range(0xC0, 0x180):
    if len(vocab) == 256:
        break
    vocab.setdefault(chr(cp), len(vocab))
special = lambda i, c: {"id": i, "content": c, "single_word": False, "lstrip": False,
                        "rstrip": False, "normalized": False, "special": True}
tok = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
    "normalizer": {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": S},
        {"type": "Replace", "pattern": {"String": " "}, "content": S}]},
    "pre_tokenizer": None,
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                  {"Sequence": {"id": "A", "type_id": 0}}],
                       "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                                {"Sequence": {"id": "B", "type_id": 1}}],
                       "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
    "decoder": {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": S}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
    "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>",
              "continuing_subword_prefix": None, "end_of_word_suffix": None,
              "fuse_unk": True, "byte_fallback": False, "ignore_merges": False,
              "vocab": vocab, "merges": merges},
}
json.dump(tok, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
