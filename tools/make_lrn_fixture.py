#!/usr/bin/env python3
"""Writes test-data/lrn-golden.json: PyTorch nn.LocalResponseNorm forward and backward on small inputs.

Run from the repository root with a Python that has torch (checked with torch 1.13):
    python3 tools/make_lrn_fixture.py
Inputs x and dy are float32 values (stored exactly); y and dx = dL/dx for L = sum(dy * y) are computed by
PyTorch in float64 from those inputs, so they are the exact values up to double rounding.
"""
import json
import torch

CASES = [  # size, alpha, beta, k, input scale
    (5, 1e-4, 0.75, 2.0, 30.0),  # AlexNet's parameters; inputs large enough that the normalisation matters
    (4, 0.5, 0.75, 1.0, 1.5),    # even size: the window reaches 2 channels back, 1 forward
    (3, 2.0, 0.5, 0.5, 1.0),
    (1, 1.0, 1.0, 1.0, 1.0),
]
SHAPE = (2, 7, 2, 3)


def main():
    gen = torch.Generator().manual_seed(20240501)
    cases = []
    for size, alpha, beta, k, scale in CASES:
        x32 = ((torch.rand(SHAPE, generator=gen) * 2 - 1) * scale).float()
        dy32 = (torch.rand(SHAPE, generator=gen) * 2 - 1).float()
        x = x32.double().requires_grad_(True)
        y = torch.nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k)(x)
        (dx,) = torch.autograd.grad((y * dy32.double()).sum(), x)
        cases.append({
            "size": size, "alpha": alpha, "beta": beta, "k": k, "shape": list(SHAPE),
            "x": [float(v) for v in x32.flatten()],
            "dy": [float(v) for v in dy32.flatten()],
            "y": [float(v) for v in y.detach().flatten()],
            "dx": [float(v) for v in dx.flatten()],
        })
    doc = {"generator": "tools/make_lrn_fixture.py", "torch": torch.__version__.split("+")[0], "cases": cases}
    write_json("test-data/lrn-golden.json", doc)


def write_json(path, doc):
    """One line per case, so the file stays small and diffs stay readable."""
    with open(path, "w") as f:
        f.write('{"generator": %s, "torch": %s, "cases": [\n' % (json.dumps(doc["generator"]), json.dumps(doc["torch"])))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in doc["cases"]))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
