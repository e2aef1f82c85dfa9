#!/usr/bin/python3
"""Writes the hostile configs of errors-limits.test into DIR (issue 16).

Each is a config a careful user or an attacker might hand tfc-compile: numbers
past the ranges a cast or a loop can take, nesting past the parser's stack,
files past what is worth reading. Small ones are inline JSON; the deep and the
large ones are generated here so the repository does not hold them.
"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


def llama(**fields):
    config = {"model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
              "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 256}
    config.update(fields)
    return config


depth = 50000
write("deep-array.json", "[" * depth + "]" * depth)
write("deep-object.json", '{"a":' * depth + "1" + "}" * depth)
# Deep inside an unknown field of an otherwise valid config; brackets inside
# strings do not count.
write("deep-unknown-field.json",
      json.dumps(llama(note="[[[[{{{{" * 1000))[:-1] + ', "extra": ' +
      "[" * depth + "]" * depth + "}")
write("shallow-brackets-in-strings.json",
      json.dumps(llama(note="[[[[{{{{\\\"" * 1000)))
# Just over the 8 MiB limit, valid JSON (a 200 MB one took 5.5 GB to parse).
write("large.json", json.dumps(llama(_name_or_path="x" * (8 << 20))))


def card(layers, entries=None, moe=None):
    block = {"attention": {"heads": 4, "head_dim": 16},
             "ffn": {"activation": "silu", "intermediate": 128}}
    if moe:
        block["moe"] = moe
    c = {"format": "tfc-model-card", "version": 1, "vocab_size": 256,
         "hidden_size": 64, "num_layers": layers, "block": block}
    if entries is not None:
        c["layers"] = entries
    return c


# 100,000 pattern entries each repeated 1024 times: only num_layers of them
# are ever used, so the pattern stops growing there (it used to allocate
# 10^8 layers).
write("card-long-pattern.json",
      json.dumps(card(2, [{"repeat": 1024}] * 100000)))
# 1024 layers of 256 experts: 262144 routed experts in all.
write("card-experts.json",
      json.dumps(card(1024, moe={"experts": 256, "top_k": 2, "intermediate": 32})))
