"""PyTorch peer for `deno task bench:peer`: the same GPT as harnesslab (the
reference implementation in tests/reference/gpt_torch.py), trained and sampled
on the same shapes, so the two can be timed side by side.

A small server: one JSON command per stdin line, one JSON reply per stdout
line, so the Deno side can alternate A B A B without paying Python's start-up
in any measurement.
  {"cmd": "setup", "vocab": 32, "ctx": 32, "n_embd": 64, "n_layer": 2, "n_head": 4, "batch": 64, "new": 32}
  {"cmd": "train", "steps": 8}       -> {"tokens_per_s": ..., "tokens_per_cpu_s": ...}   (AdamW, clip 1.0)
  {"cmd": "sample"}                  -> {"tokens_per_s": ...}   (KV cache, multinomial, `new` tokens a row)
  {"cmd": "matmul", "n": 512, "reps": 10} -> {"gflops": ...}    (numpy float32, the machine's BLAS)

Threads: torch.set_num_threads(THREADS) from the environment variable
HARNESSLAB_PEER_THREADS (default 1); OpenBLAS/OMP/MKL are pinned to the same
number before numpy and torch load.

Run with Debian's /usr/bin/python3 (apt-get install python3-torch).
"""
import json
import math
import os
import sys
import time

THREADS = int(os.environ.get("HARNESSLAB_PEER_THREADS", "1"))
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(THREADS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from gpt_torch import Gpt  # noqa: E402

torch.set_num_threads(THREADS)
torch.manual_seed(0)
state = {}


def setup(c):
    cfg = dict(vocab_size=c["vocab"], block_size=c["ctx"] + 1 + c["new"], n_layer=c["n_layer"], n_head=c["n_head"],
               n_embd=c["n_embd"], bias=True, position="learned", activation="gelu", rope_base=10000)
    model = Gpt(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    state.update(c=c, model=model, opt=opt)
    train(2)
    sample()
    return {"params": sum(p.numel() for p in model.parameters()), "threads": torch.get_num_threads()}


def train(steps):
    c, model, opt = state["c"], state["model"], state["opt"]
    B, T, V = c["batch"], c["ctx"], c["vocab"]
    model.train()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        ids = torch.randint(0, V, (B, T))
        targets = torch.randint(0, V, (B, T))
        w = torch.ones(B, T)
        logp = model(ids)  # [B, T, V] log-probs
        nll = -logp.gather(-1, targets[..., None])[..., 0]
        loss = (nll * w).sum() / w.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()
    tokens = steps * B * T
    return {"tokens_per_s": tokens / (time.perf_counter() - t0), "tokens_per_cpu_s": tokens / (time.process_time() - c0)}


@torch.no_grad()
def sample():
    """KV-cache sampling written against the reference modules: one new token a step per row."""
    c, model = state["c"], state["model"]
    model.eval()
    B, V, N = c["batch"], c["vocab"], c["new"]
    tr = model.transformer
    H = c["n_head"]
    t0 = time.perf_counter()
    tok = torch.randint(0, V, (B, 1))
    caches = [[None, None] for _ in tr.h]
    produced = 0
    for t in range(N):
        x = tr.wte(tok) + tr.wpe(torch.tensor([t]))  # [B, 1, C]
        for block, cache in zip(tr.h, caches):
            h = block.ln_1(x)
            C = h.shape[-1]
            hd = C // H
            q, k, v = block.attn.c_attn(h).split(C, dim=2)
            q, k, v = (z.view(B, 1, H, hd).transpose(1, 2) for z in (q, k, v))  # [B, H, 1, hd]
            cache[0] = k if cache[0] is None else torch.cat([cache[0], k], dim=2)
            cache[1] = v if cache[1] is None else torch.cat([cache[1], v], dim=2)
            att = (q @ cache[0].transpose(-2, -1) / math.sqrt(hd)).softmax(dim=-1)  # [B, H, 1, t+1]
            y = (att @ cache[1]).transpose(1, 2).reshape(B, 1, C)
            x = x + block.attn.c_proj(y)
            x = x + block.mlp(block.ln_2(x))
        logits = model.lm_head(tr.ln_f(x))[:, -1, :]
        tok = torch.multinomial(F.softmax(logits, dim=-1), 1)
        produced += B
    return {"tokens_per_s": produced / (time.perf_counter() - t0)}


def matmul(n, reps):
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    return {"gflops": 2 * n ** 3 * reps / (time.perf_counter() - t0) / 1e9}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        cmd = msg.pop("cmd")
        try:
            if cmd == "setup":
                out = setup(msg)
            elif cmd == "train":
                out = train(msg["steps"])
            elif cmd == "sample":
                out = sample()
            elif cmd == "matmul":
                out = matmul(msg["n"], msg["reps"])
            else:
                out = {"error": f"unknown command {cmd}"}
        except Exception as e:  # reported to the caller, which stops with the message
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
