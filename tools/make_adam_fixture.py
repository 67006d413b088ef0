#!/usr/bin/env python3
"""Writes test-data/adam-golden.json: torch.optim.Adam (single-tensor CPU path) on a small float32 tensor.

Run from the repository root with a Python that has torch (checked with torch 1.13):
    python3 tools/make_adam_fixture.py
Each case gives the hyperparameters, the initial params, the gradient of each step, and the params after each
step plus the final moments, all float32 values stored exactly.
"""
import json
import torch

CASES = [  # lr, beta1, beta2, eps, weight_decay
    (1e-3, 0.9, 0.999, 1e-8, 0.0),  # PyTorch's defaults
    (1e-2, 0.8, 0.99, 1e-6, 0.05),  # with L2 weight decay
]
ELEMENTS = 67  # not a multiple of the vector width, so PyTorch's scalar tail runs too
STEPS = 3


def floats(t):
    return [float(v) for v in t.detach().flatten()]


def main():
    gen = torch.Generator().manual_seed(20240502)
    cases = []
    for lr, b1, b2, eps, wd in CASES:
        p = (torch.rand(ELEMENTS, generator=gen) * 2 - 1).float().requires_grad_(True)
        initial = floats(p)
        opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd, foreach=False)
        grads, after = [], []
        for _ in range(STEPS):
            # gradient magnitudes from 1e-4 to 10
            scale = torch.pow(10.0, torch.rand(ELEMENTS, generator=gen) * 5 - 4)
            g = ((torch.rand(ELEMENTS, generator=gen) * 2 - 1) * scale).float()
            p.grad = g.clone()
            opt.step()
            grads.append(floats(g))
            after.append(floats(p))
        state = opt.state[p]
        cases.append({"lr": lr, "beta1": b1, "beta2": b2, "eps": eps, "weight_decay": wd,
                      "params": initial, "grads": grads, "expected": after,
                      "exp_avg": floats(state["exp_avg"]), "exp_avg_sq": floats(state["exp_avg_sq"])})
    with open("test-data/adam-golden.json", "w") as f:
        f.write('{"generator": "tools/make_adam_fixture.py", "torch": %s, "cases": [\n'
                % json.dumps(torch.__version__.split("+")[0]))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
