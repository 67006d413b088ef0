#!/usr/bin/env python3
"""Writes the PyTorch golden fixture the Java tests compare the CPU engine with.

A reduced AlexNet (the notebook's topology, narrower layers, input 99, LRN after conv1 and conv2) on a random
batch: inputs, labels, weights, logits, loss, every parameter gradient, the dropout masks PyTorch used, and the
weights after 2 torch.optim.Adam steps. Everything is computed in float64 (the reference is more precise than
the float32 engine it checks) and stored as float32 in one safetensors file, written here without the
safetensors package: 8-byte little-endian header length, JSON header, raw little-endian data.

Run with Debian's PyTorch (apt-get install python3-torch):  /usr/bin/python3 tools/make_golden.py
"""
import json
import struct
import sys
from collections import OrderedDict
from pathlib import Path

import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "test-data" / "golden" / "alexnet-small.safetensors"

CONFIG = OrderedDict(
    input_size=99, batch=4, classes=10, widths=[8, 16, 24, 24, 16, 32], lrn="conv1,conv2",
    lrn_size=5, lrn_alpha=1e-4, lrn_beta=0.75, lrn_k=2.0, dropout=0.5,
    lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, adam_steps=2, seed=20261125,
)

# (module, kind, args): the notebook's nn.Sequential indices name the parameters.
CONVS = [("net.0", 11, 4, 1), ("net.3", 5, 1, 2), ("net.6", 3, 1, 1), ("net.8", 3, 1, 1), ("net.10", 3, 1, 1)]
FCS = ["net.14", "net.17", "net.20"]


def make_params(gen):
    w = CONFIG["widths"]
    chans = [3] + w[:5]
    params = OrderedDict()
    for i, (name, k, _, _) in enumerate(CONVS):
        # Xavier-uniform as torch.nn.init.xavier_uniform_ (fans include the kernel area), from our generator.
        bound = (6.0 / (chans[i] * k * k + chans[i + 1] * k * k)) ** 0.5
        shape = (chans[i + 1], chans[i], k, k)
        params[name + ".weight"] = (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound
        # Non-zero biases, so a bias bug cannot hide behind zero init.
        params[name + ".bias"] = (torch.rand(chans[i + 1], generator=gen, dtype=torch.float64) - 0.5) * 0.1
    side = spatial_out(CONFIG["input_size"])
    fc_in = [w[4] * side * side, w[5], w[5]]
    fc_out = [w[5], w[5], CONFIG["classes"]]
    for name, fin, fout in zip(FCS, fc_in, fc_out):
        bound = (6.0 / (fin + fout)) ** 0.5
        params[name + ".weight"] = (torch.rand(fout, fin, generator=gen, dtype=torch.float64) * 2 - 1) * bound
        params[name + ".bias"] = (torch.rand(fout, generator=gen, dtype=torch.float64) - 0.5) * 0.1
    return params


def spatial_out(s):
    conv = lambda h, k, st, p: (h + 2 * p - k) // st + 1
    pool = lambda h: (h - 3) // 2 + 1
    s = pool(conv(s, 11, 4, 1))
    s = pool(conv(s, 5, 1, 2))
    return pool(s)


def forward(x, p, masks):
    """The notebook's network with LRN after conv1 and conv2 (ReLU, LRN, pool) and explicit dropout masks
    (masks None: evaluation, dropout is the identity)."""
    lrn = lambda t: F.local_response_norm(t, CONFIG["lrn_size"], CONFIG["lrn_alpha"], CONFIG["lrn_beta"], CONFIG["lrn_k"])
    keep = 1.0 - CONFIG["dropout"]
    drop = (lambda t, j: t) if masks is None else (lambda t, j: t * masks[j] / keep)
    x = F.max_pool2d(lrn(F.relu(F.conv2d(x, p["net.0.weight"], p["net.0.bias"], stride=4, padding=1))), 3, 2)
    x = F.max_pool2d(lrn(F.relu(F.conv2d(x, p["net.3.weight"], p["net.3.bias"], padding=2))), 3, 2)
    x = F.relu(F.conv2d(x, p["net.6.weight"], p["net.6.bias"], padding=1))
    x = F.relu(F.conv2d(x, p["net.8.weight"], p["net.8.bias"], padding=1))
    x = F.max_pool2d(F.relu(F.conv2d(x, p["net.10.weight"], p["net.10.bias"], padding=1)), 3, 2)
    x = torch.flatten(x, 1)
    x = drop(F.relu(F.linear(x, p["net.14.weight"], p["net.14.bias"])), 0)
    x = drop(F.relu(F.linear(x, p["net.17.weight"], p["net.17.bias"])), 1)
    return F.linear(x, p["net.20.weight"], p["net.20.bias"])


def main():
    gen = torch.Generator().manual_seed(CONFIG["seed"])
    n, s = CONFIG["batch"], CONFIG["input_size"]
    # Inputs on the scale of normalised images; a loss of a few nats keeps every logit's gradient alive.
    x = torch.randn(n, 3, s, s, generator=gen, dtype=torch.float64)
    labels = torch.randint(0, CONFIG["classes"], (n,), generator=gen)
    params = make_params(gen)
    fc = CONFIG["widths"][5]
    # masks[step][layer]: 1 keeps a unit, 0 drops it.
    masks = [[(torch.rand(n, fc, generator=gen) >= CONFIG["dropout"]).double() for _ in range(2)]
             for _ in range(CONFIG["adam_steps"])]

    out = OrderedDict()
    out["input"] = x
    out["labels"] = labels.double()
    for k, v in params.items():
        out["init." + k] = v.clone()
    for step in range(CONFIG["adam_steps"]):
        for j, m in enumerate(masks[step]):
            out["mask.step%d.drop%d" % (step, 6 + j)] = m

    leaves = OrderedDict((k, v.clone().requires_grad_(True)) for k, v in params.items())
    opt = torch.optim.Adam(leaves.values(), lr=CONFIG["lr"], betas=(CONFIG["beta1"], CONFIG["beta2"]),
                           eps=CONFIG["eps"], weight_decay=CONFIG["weight_decay"])
    for step in range(CONFIG["adam_steps"]):
        opt.zero_grad()
        logits = forward(x, leaves, masks[step])
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        if step == 0:
            out["logits"] = logits.detach().clone()
            out["loss"] = loss.detach().reshape(1).clone()
            for k, v in leaves.items():
                out["grad." + k] = v.grad.detach().clone()
        opt.step()
    for k, v in leaves.items():
        out["adam%d.%s" % (CONFIG["adam_steps"], k)] = v.detach().clone()
    with torch.no_grad():
        out["eval_logits"] = forward(x, leaves, None)
    write_safetensors(OUT, out, {"config": json.dumps(CONFIG), "torch": torch.__version__,
                                 "generator": "tools/make_golden.py"})
    print("wrote %s (%d tensors, loss %.6f)" % (OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT,
                                                len(out), out["loss"].item()))


def write_safetensors(path, tensors, metadata):
    header = OrderedDict()
    header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


if __name__ == "__main__":
    sys.exit(main())
