#!/usr/bin/python3
"""PyTorch side of bench/train: the same three models, optimiser, loss, batches, steps and threads as the TorchSharp
side (bench/train/Program.cs), on the windows it exported to .npy. Prints one JSON object on stdout.

The models are written from docs/reference.md sections 2-3 (input (B, 1, T, C), logits (B, K)); they are this workbook's own
code for timing, not a copy of the reference repository.
Run with Debian's /usr/bin/python3 and python3-torch (PyTorch 1.13.1).
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn


# ---------------------------------------------------------------- TinierHAR (docs/reference.md section 2)
class DSConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, (5, 1), padding=(2, 0), groups=cin)
        self.pointwise = nn.Conv2d(cin, cout, (1, 1))

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class TinierBlock(nn.Module):
    def __init__(self, cin, cout, pool):
        super().__init__()
        main = [DSConv(cin, cout), nn.BatchNorm2d(cout), nn.ReLU()]
        if pool:
            main.append(nn.MaxPool2d((2, 1)))
        self.conv = nn.Sequential(*main)
        short = []
        if cin != cout:
            short += [nn.Conv2d(cin, cout, (1, 1)), nn.BatchNorm2d(cout)]
        if pool:
            short.append(nn.MaxPool2d((2, 1)))
        self.shortcut = nn.Sequential(*short) if short else nn.Identity()

    def forward(self, x):
        return self.conv(x) + self.shortcut(x)


class TinierHAR(nn.Module):
    def __init__(self, t, c, k, f=4, m=4, h=16, drop=0.3):
        super().__init__()
        blocks = [TinierBlock(1, f, True), TinierBlock(f, 2 * f, True)]
        blocks += [TinierBlock(2 * f, 2 * f, False) for _ in range(m)]
        self.blocks = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(drop)
        self.gru = nn.GRU(2 * f * c, h, num_layers=1, batch_first=True, bidirectional=True)
        self.attention = nn.Linear(2 * h, 1)
        self.classifier = nn.Linear(2 * h, k)

    def forward(self, x):
        y = self.blocks(x)                                            # (B, 2F, T/4, C)
        seq = y.permute(0, 2, 1, 3).reshape(y.shape[0], y.shape[2], -1)
        out, _ = self.gru(self.dropout(seq))                          # (B, T/4, 2H)
        w = torch.softmax(self.attention(out), dim=1)
        return self.classifier((w * out).sum(1))


# ---------------------------------------------------------------- TinyHAR (docs/reference.md section 3.1)
class ChannelAttention(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.q = nn.Linear(f, f, bias=False)
        self.k = nn.Linear(f, f, bias=False)
        self.v = nn.Linear(f, f, bias=False)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):                                             # (B, C, F)
        beta = torch.softmax(torch.bmm(self.q(x), self.k(x).permute(0, 2, 1)), dim=1)
        o = self.gamma * torch.bmm(self.v(x).permute(0, 2, 1), beta) + x.permute(0, 2, 1)
        return o.permute(0, 2, 1)


class TinyHAR(nn.Module):
    def __init__(self, t, c, k, f=20, drop=0.1):
        super().__init__()
        layers, cin = [], 1
        for i in range(4):
            layers.append(nn.Sequential(nn.Conv2d(cin, f, (5, 1), stride=(2 if i % 2 else 1, 1)), nn.ReLU(), nn.BatchNorm2d(f)))
            cin = f
        self.convs = nn.ModuleList(layers)
        self.channel_attention = ChannelAttention(f)
        self.dropout = nn.Dropout(drop)
        self.fusion = nn.Linear(c * f, 2 * f)
        self.lstm = nn.LSTM(2 * f, 2 * f, batch_first=True)
        self.agg_fc1 = nn.Linear(2 * f, 2 * f)
        self.agg_fc2 = nn.Linear(2 * f, 1, bias=False)
        self.agg_gamma = nn.Parameter(torch.zeros(1))
        self.prediction = nn.Linear(2 * f, k)

    def forward(self, x):
        for layer in self.convs:
            x = layer(x)                                              # (B, F, L, C)
        x = x.permute(0, 3, 2, 1)                                     # (B, C, L, F)
        b, c, l, _ = x.shape
        x = torch.cat([self.channel_attention(x[:, :, t, :]).unsqueeze(2) for t in range(l)], 2)
        x = self.dropout(x)
        x = x.permute(0, 2, 1, 3).reshape(b, l, -1)                   # (B, L, C*F)
        x = torch.relu(self.fusion(x))
        x, _ = self.lstm(x)
        w = torch.softmax(self.agg_fc2(torch.tanh(self.agg_fc1(x))).squeeze(2), dim=1).unsqueeze(2)
        x = x[:, -1] + self.agg_gamma * (w * x).sum(1)
        return self.prediction(x)


# ---------------------------------------------------------------- DeepConvLSTM (docs/reference.md section 3.2)
class DeepConvLSTM(nn.Module):
    def __init__(self, t, c, k, f=64, units=128, drop=0.5):
        super().__init__()
        self.convs = nn.Sequential(
            nn.Conv2d(1, f, (5, 1)), nn.ReLU(), nn.Conv2d(f, f, (5, 1), stride=(2, 1)), nn.ReLU(),
            nn.Conv2d(f, f, (5, 1)), nn.ReLU(), nn.Conv2d(f, f, (5, 1), stride=(2, 1)), nn.ReLU())
        self.dropout = nn.Dropout(drop)
        self.lstm = nn.LSTM(f * c, units, batch_first=True)
        self.fc = nn.Linear(units, k)

    def forward(self, x):
        x = self.convs(x)                                             # (B, F, L, C)
        x = x.permute(0, 2, 1, 3).reshape(x.shape[0], x.shape[2], -1)
        x, _ = self.lstm(self.dropout(x))
        return self.fc(x[:, -1])


MODELS = {"tinierhar": TinierHAR, "tinyhar": TinyHAR, "deepconvlstm": DeepConvLSTM}


def run(model_name, threads, batch, warmup, steps, x, y, order, k):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    n, _, t, c = x.shape
    net = MODELS[model_name](t, c, k)
    net.train()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss()
    losses, step_s, cursor, data_s, total_s = [], [], 0, 0.0, 0.0
    for s in range(warmup + steps):
        t0 = time.perf_counter()
        idx = order[(cursor + np.arange(batch)) % n]
        cursor += batch
        xb = torch.from_numpy(x[idx])                                 # fancy indexing copies the batch
        yb = torch.from_numpy(y[idx])
        t1 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
        value = loss.item()
        del loss, xb, yb
        t2 = time.perf_counter()
        if s >= warmup:
            data_s += t1 - t0
            total_s += t2 - t0
            step_s.append(t2 - t0)
        losses.append(value)
    return {"model": model_name, "threads": threads, "batch": batch, "steps": steps,
            "total_s": total_s, "data_s": data_s, "losses": losses, "step_s": step_s}


def blas_libraries():
    """The BLAS shared libraries mapped into this process (Debian's python3-torch is built with BLAS_INFO=generic and
    uses whatever libblas.so.3 the alternatives system points to: reference BLAS, or OpenBLAS when installed)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(paths)
    except OSError:
        return []


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True, help="folder with x.npy (N,1,T,C) float32, y.npy (N) int64, order.npy (N) int64")
    p.add_argument("--classes", type=int, required=True)
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--steps", type=int, required=True, help="timed steps")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps before the timed ones")
    p.add_argument("--mkldnn", type=int, default=1, help="0: torch.backends.mkldnn.enabled = False (as the TorchSharp side)")
    a = p.parse_args()
    torch.backends.mkldnn.enabled = bool(a.mkldnn)
    x = np.load(f"{a.dir}/x.npy")
    y = np.load(f"{a.dir}/y.npy")
    order = np.load(f"{a.dir}/order.npy")
    r = run(a.model, a.threads, a.batch, a.warmup, a.steps, x, y, order, a.classes)
    r["torch"] = torch.__version__
    r["mkldnn"] = bool(torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled)
    r["blas"] = blas_libraries()
    json.dump(r, sys.stdout)


if __name__ == "__main__":
    main()
