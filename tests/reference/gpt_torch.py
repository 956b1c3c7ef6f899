"""PyTorch peer of the lab's model: loads a harnesslab model directory
(model.safetensors + config.json) with strict load_state_dict, so tensor names
and [out, in] layouts are checked, and prints log-softmax logits as JSON.

Written from the nanoGPT architecture (pre-LN blocks, fused c_attn, 4x MLP,
tied lm_head); rotary positions use the GPT-NeoX half-split layout.
Usage: /usr/bin/python3 gpt_torch.py --model DIR --tokens 1,2,3 [--tokens ...]
"""
import argparse, json, math, struct
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    buf = data[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}"
        b, e = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(buf[b:e]), dtype=torch.float32).reshape(info["shape"])
    return out


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        C = c["n_embd"]
        self.c = c
        self.ln_1 = _ln(C, c["bias"])
        self.attn = nn.Module()
        self.attn.c_attn = nn.Linear(C, 3 * C, bias=c["bias"])
        self.attn.c_proj = nn.Linear(C, C, bias=c["bias"])
        self.ln_2 = _ln(C, c["bias"])
        self.mlp = nn.Module()
        self.mlp.c_fc = nn.Linear(C, 4 * C, bias=c["bias"])
        self.mlp.c_proj = nn.Linear(4 * C, C, bias=c["bias"])

    def forward(self, x):
        c = self.c
        B, T, C = x.shape
        H = c["n_head"]
        D = C // H
        q, k, v = self.attn.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = [t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v)]
        if c["position"] == "rotary":
            q, k = rotate(q, c["rope_base"]), rotate(k, c["rope_base"])
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D)
        mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.attn.c_proj(y)
        h = self.mlp.c_fc(self.ln_2(x))
        if c["activation"] == "gelu":
            h = F.gelu(h)
        elif c["activation"] == "gelu_tanh":
            h = F.gelu(h, approximate="tanh")
        else:
            h = F.relu(h)
        return x + self.mlp.c_proj(h)


class LayerNormNoBias(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, None, 1e-5)


def _ln(n, bias):
    return nn.LayerNorm(n, eps=1e-5) if bias else LayerNormNoBias(n)


def rotate(x, base):
    D = x.shape[-1]
    half = D // 2
    T = x.shape[-2]
    pos = torch.arange(T, dtype=torch.float64)[:, None]
    inv = base ** (-2 * torch.arange(half, dtype=torch.float64) / D)
    ang = pos * inv
    cos, sin = ang.cos().float(), ang.sin().float()
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.transformer = nn.Module()
        self.transformer.wte = nn.Embedding(c["vocab_size"], c["n_embd"])
        if c["position"] == "learned":
            self.transformer.wpe = nn.Embedding(c["block_size"], c["n_embd"])
        self.transformer.h = nn.ModuleList([Block(c) for _ in range(c["n_layer"])])
        self.transformer.ln_f = _ln(c["n_embd"], c["bias"])
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # tied, as nanoGPT

    def forward(self, idx):
        x = self.transformer.wte(idx)
        if self.c["position"] == "learned":
            x = x + self.transformer.wpe(torch.arange(idx.shape[1]))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x)).log_softmax(-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--tokens", action="append", required=True)
    a = ap.parse_args()
    with open(f"{a.model}/config.json") as f:
        c = json.load(f)
    model = GPT(c)
    model.load_state_dict(read_safetensors(f"{a.model}/model.safetensors"), strict=True)
    model.eval()
    out = []
    with torch.no_grad():
        for t in a.tokens:
            ids = torch.tensor([[int(v) for v in t.split(",")]])
            out.append(model(ids)[0].tolist())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
