#!/usr/bin/python3
"""Perplexity, cross-entropy and z-loss of a checkpoint on token ids, in float64.

  /usr/bin/python3 perplexity.py MODEL_DIR IDS_FILE --ctx N [--check TFC_OUTPUT --rtol R]

IDS_FILE holds comma-separated ids. The ids are cut into windows of N tokens
(the last one shorter; a last window of one token is dropped), each run from
an empty context with hf_models.forward; row i of a window predicts token
i + 1. Per predicted token: log Z = logsumexp(logits), cross-entropy
log Z - logit[target], z-loss term (log Z)^2 (PaLM's z-loss, Chowdhery et
al. 2022, sec. 5). Prints the mean cross-entropy, exp of it and the mean
z-loss. With --check, reads tfc-run --perplexity's output and exits 1 unless
each of the three agrees within rtol (relative).
"""

import argparse
import os
import re
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_models  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("ids")
    ap.add_argument("--ctx", type=int, required=True)
    ap.add_argument("--check")
    ap.add_argument("--rtol", type=float, default=1e-4)
    a = ap.parse_args()
    config, weights = hf_models.load_checkpoint(a.model)
    ids = [int(t) for t in open(a.ids).read().strip().split(",") if t]
    ce = z = 0.0
    count = 0
    for at in range(0, len(ids), a.ctx):
        window = ids[at:at + a.ctx]
        if len(window) < 2:
            continue
        logits = torch.as_tensor(hf_models.forward(config, weights, window), dtype=torch.float64)
        log_z = torch.logsumexp(logits[:-1], dim=-1)
        target = torch.tensor(window[1:])
        ce += (log_z - logits[:-1].gather(1, target[:, None])[:, 0]).sum().item()
        z += (log_z ** 2).sum().item()
        count += len(window) - 1
    ref = {"cross-entropy": ce / count, "perplexity": torch.exp(torch.tensor(ce / count)).item(),
           "z-loss": z / count}
    for k, v in ref.items():
        print(f"reference {k}: {v:.9g}")
    if not a.check:
        return 0
    text = open(a.check).read()
    ok = True
    for k, v in ref.items():
        m = re.search(rf"^{k}: ([-0-9.e+]+)", text, re.M)
        if not m:
            print(f"error: no '{k}:' line in {a.check}")
            return 1
        got = float(m.group(1))
        err = abs(got - v) / abs(v)
        print(f"{k}: tfc {got:.9g} reference {v:.9g} rel_err={err:.2e}")
        ok &= err <= a.rtol
    tokens = re.search(r"^tokens: (\d+)", text, re.M)
    if not tokens or int(tokens.group(1)) != count:
        print(f"error: tfc predicted {tokens.group(1) if tokens else '?'} tokens, the reference {count}")
        return 1
    print("perplexity vs reference: " + ("ok" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
