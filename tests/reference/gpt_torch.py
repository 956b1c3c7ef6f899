"""PyTorch peer of harnesslab's model, for cross-checking its numbers.

Loads a harnesslab model directory (model.safetensors + config.json) with a
small hand-written safetensors reader (struct + json + torch.frombuffer; no
`safetensors` package) and a strict `load_state_dict`, so tensor names and
[out, in] Linear layouts are proven, then prints log-softmax logits as JSON:
one [T][V] list per --tokens, i.e. [B][T][V].

Architecture written from nanoGPT's description (GPT-2): pre-LayerNorm blocks
(eps 1e-5), fused c_attn projection split q|k|v, causal softmax(q k^T / sqrt(hd)),
4x MLP, tied lm_head. Departures, as the lab's config: rotary positions (GPT-NeoX
half-split) instead of wpe when position == "rotary"; exact-erf or tanh GELU or
ReLU; no dropout.

Usage: /usr/bin/python3 gpt_torch.py --model DIR --tokens 1,2,3 [--tokens 4,5] [--dtype float64]
"""
import argparse
import json
import math
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    """name -> float32 tensor, from a safetensors file holding F32 tensors only."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"{path}: header length {n} runs past the end of the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buf = memoryview(data)[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}; only F32 is supported")
        begin, end = info["data_offsets"]
        if end - begin != 4 * math.prod(info["shape"]) or end > len(buf):
            raise ValueError(f"{path}: tensor {name} offsets {begin}..{end} do not fit shape {info['shape']}")
        # bytearray copy: frombuffer needs a writable buffer, and the copy is aligned.
        out[name] = torch.frombuffer(bytearray(buf[begin:end]), dtype=torch.float32).reshape(info["shape"])
    return out


def layer_norm(n, bias):
    ln = nn.LayerNorm(n, eps=1e-5)
    if not bias:  # weight only (torch 1.13's LayerNorm has no bias=False)
        ln.bias = None
    return ln


def rotary(x, base):
    """Rotate pairs (x[..., i], x[..., i + hd/2]) by t * base^(-2i/hd); x is [B, H, T, hd]."""
    T, hd = x.shape[-2], x.shape[-1]
    half = hd // 2
    inv_freq = base ** (-2.0 * torch.arange(half, dtype=torch.float64) / hd)
    theta = torch.arange(T, dtype=torch.float64)[:, None] * inv_freq[None, :]  # [T, hd/2]
    cos, sin = theta.cos().to(x.dtype), theta.sin().to(x.dtype)
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head, self.position, self.rope_base = c["n_head"], c["position"], c["rope_base"]
        self.c_attn = nn.Linear(c["n_embd"], 3 * c["n_embd"], bias=c["bias"])
        self.c_proj = nn.Linear(c["n_embd"], c["n_embd"], bias=c["bias"])

    def forward(self, x):
        B, T, C = x.shape
        hd = C // self.n_head
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, hd).transpose(1, 2) for t in (q, k, v))  # [B, H, T, hd]
        if self.position == "rotary":
            q, k = rotary(q, self.rope_base), rotary(k, self.rope_base)
        att = q @ k.transpose(-2, -1) / math.sqrt(hd)  # [B, H, T, T]
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        att = att.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        return self.c_proj(y)


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.activation = c["activation"]
        self.c_fc = nn.Linear(c["n_embd"], 4 * c["n_embd"], bias=c["bias"])
        self.c_proj = nn.Linear(4 * c["n_embd"], c["n_embd"], bias=c["bias"])

    def forward(self, x):
        h = self.c_fc(x)
        if self.activation == "gelu":
            h = F.gelu(h)
        elif self.activation == "gelu_tanh":
            h = F.gelu(h, approximate="tanh")
        elif self.activation == "relu":
            h = F.relu(h)
        else:
            raise ValueError(f"unknown activation {self.activation}")
        return self.c_proj(h)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = layer_norm(c["n_embd"], c["bias"])
        self.attn = SelfAttention(c)
        self.ln_2 = layer_norm(c["n_embd"], c["bias"])
        self.mlp = Mlp(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.position = c["position"]
        modules = dict(wte=nn.Embedding(c["vocab_size"], c["n_embd"]))
        if self.position == "learned":
            modules["wpe"] = nn.Embedding(c["block_size"], c["n_embd"])
        modules["h"] = nn.ModuleList(Block(c) for _ in range(c["n_layer"]))
        modules["ln_f"] = layer_norm(c["n_embd"], c["bias"])
        self.transformer = nn.ModuleDict(modules)
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # tied: one parameter, two state-dict keys

    def forward(self, idx):  # idx [B, T] -> log-probs [B, T, V]
        x = self.transformer.wte(idx)
        if self.position == "learned":
            x = x + self.transformer.wpe(torch.arange(idx.shape[1]))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x)).log_softmax(dim=-1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="directory with model.safetensors and config.json")
    ap.add_argument("--tokens", action="append", required=True, help="comma-separated token ids")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    a = ap.parse_args()
    with open(f"{a.model}/config.json") as f:
        config = json.load(f)
    model = Gpt(config)
    model.load_state_dict(read_safetensors(f"{a.model}/model.safetensors"), strict=True)
    model.to(getattr(torch, a.dtype)).eval()
    out = []
    with torch.no_grad():
        for row in a.tokens:
            ids = torch.tensor([[int(t) for t in row.split(",")]])
            if ids.shape[1] > config["block_size"] or ids.min() < 0 or ids.max() >= config["vocab_size"]:
                raise SystemExit(f"tokens {row} do not fit block_size {config['block_size']} / vocab_size")
            out.append(model(ids)[0].tolist())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
