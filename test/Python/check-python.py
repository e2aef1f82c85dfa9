#!/usr/bin/python3
"""The Python module on a random llama checkpoint (test/e2e/reference) and a small
tokenizer: compile, load, prefill logits against the float64 reference
(1e-4 of max|logit|, as test/e2e), prefill + decode against one prefill,
greedy generate() against tfc-run --prompt --temperature 0, and the errors.

  check-python.py WORKDIR      (PYTHONPATH holds python/, TFC_BIN the tools)
"""
import os
import subprocess
import sys

import numpy as np

import tfc

work = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, "..", "e2e", "reference")
model_dir = os.path.join(work, "model")
subprocess.run([sys.executable, os.path.join(ref, "make_model.py"), "--family", "llama", "--out", model_dir],
               check=True, stdout=subprocess.DEVNULL)
subprocess.run([sys.executable, os.path.join(here, "..", "Tokenizer", "make-tiny-tokenizer.py"), model_dir], check=True)
so = tfc.compile(model_dir, os.path.join(work, "model.so"))
model = tfc.Model(so, weights=model_dir, threads=2)
print(f"model: {model.model_type} vocab={model.vocab_size}")

tokens = np.array([int(t) for t in open(os.path.join(model_dir, "tokens.txt")).read().split(",")])
expected = np.fromfile(os.path.join(model_dir, "logits.f32"), dtype="<f4").reshape(len(tokens), -1)
s = model.session()
logits = s.prefill(tokens)
assert logits.dtype == np.float32 and logits.shape == expected.shape, logits.shape
err = np.abs(logits - expected).max() / np.abs(expected).max()
print(f"prefill vs reference: rel_err={err:.2e}")
assert err <= 1e-4, err
assert s.position == len(tokens)

s.reset()
first = s.prefill(tokens[:3])
rows = [first[i] for i in range(3)] + [s.decode(t) for t in tokens[3:]]
err = np.abs(np.stack(rows) - logits).max() / np.abs(logits).max()
print(f"prefill 3 + decode vs prefill: rel_err={err:.2e}")
assert err <= 1e-4, err

# The weights copied onto huge pages (tfc_weights_load_copied): the same logits.
copied = tfc.Model(so, weights=model_dir, threads=2, copy_weights=True).session().prefill(tokens)
assert np.array_equal(copied, logits)
print("copy_weights: the same logits")

# Rewind to 3 positions and run the rest again: the same logits.
s.truncate(3)
assert s.position == 3
again = np.stack([s.decode(t) for t in tokens[3:]])
err = np.abs(again - logits[3:]).max() / np.abs(logits).max()
print(f"truncate 3 + decode vs prefill: rel_err={err:.2e}")
assert err <= 1e-4, err

prompt = "the quick brown fox"
text = model.generate(prompt, max_new_tokens=12, temperature=0)
r = subprocess.run([tfc.tool("tfc-run"), so, "--weights", model_dir, "--prompt", prompt, "--temperature", "0",
                    "--max-new-tokens", "12", "--threads", "2"], capture_output=True, text=True, check=True)
assert text == r.stdout[:-1], (text, r.stdout)
print(f"generate, greedy: equals tfc-run --prompt ({len(text)} chars)")
sampled = [model.generate(prompt, max_new_tokens=12, temperature=1.0, top_k=20, seed=3) for _ in range(2)]
assert sampled[0] == sampled[1]
print("generate, sampled: same seed same text")
ids = model.tokenizer.encode("hello world")
assert model.tokenizer.decode(ids) == "hello world"

for bad, call in [("out of range", lambda: s.decode(10**6)),
                  ("not a tfc model", lambda: tfc.Model(os.path.join(work, "none.so"), model_dir)),
                  ("weights", lambda: tfc.Model(so, weights=os.path.join(work, "nowhere")))]:
    try:
        call()
        raise SystemExit(f"no error for {bad}")
    except tfc.TfcError as e:
        print(f"error ({bad}): {str(e)[:70]}")
print("python module: ok")
