#!/usr/bin/env python3
"""The notebook's AlexNet in PyTorch, timed: the baseline alexnet-cuda is compared with.

Same network (LRN after conv2's ReLU unless --lrn none), same batch, input size and optimizer (Adam, lr 1e-3),
with the data already on the device as a synthetic batch (no DataLoader: the fair, strong baseline). Prints one
JSON object: steady-state training and inference images per second after warm-up, with the same field names as
`alexnet-cuda bench --json` where the two measure the same thing, the library versions and, on CUDA, the peak
memory PyTorch's allocator held.

fp32 is strict: PyTorch lets cuDNN use TF32 by default (torch.backends.cudnn.allow_tf32 is True), so both TF32
switches are set explicitly from --precision, as alexnet-cuda sets cuDNN's and cuBLAS's math modes. fp16 and bf16
are PyTorch's automatic mixed precision, the usual way to train in them: the forward pass and the loss under
torch.autocast (FP32 master weights and Adam), and for fp16 a torch.cuda.amp.GradScaler with its defaults, as
alexnet-cuda's dynamic loss scaling.

--variant picks how PyTorch runs, so that alexnet-cuda is compared with PyTorch at its best, not only its defaults:
  eager     the plain training loop above (NCHW, Adam's default implementation);
  fast      channels_last tensors (NHWC, which cuDNN's tensor-core kernels prefer) and Adam(fused=True), one kernel
            for the whole optimizer step (on the CPU, where fused Adam does not exist, foreach=True);
  compiled  torch.compile(mode="reduce-overhead"): Inductor's kernels replayed as CUDA graphs (needs torch 2; the
            compilation happens in the warm-up, whose seconds are reported as warmup_seconds).
An unavailable variant exits 3 with one line on stderr, and prints nothing on stdout.

  /usr/bin/python3 bench/pytorch_alexnet.py --device cpu --steps 3 --warmup 1
  python3 bench/pytorch_alexnet.py --device cuda --precision tf32 --variant fast
"""
import argparse
import json
import platform
import sys
import time

import torch
import torch.nn as nn


def alexnet(num_classes, lrn):
    layers = [nn.Conv2d(3, 96, 11, stride=4, padding=1), nn.ReLU(inplace=True)]
    if lrn == "conv1,conv2":
        layers.append(nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0))
    layers += [nn.MaxPool2d(3, 2), nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(inplace=True)]
    if lrn in ("conv2", "conv1,conv2"):
        layers.append(nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0))
    layers += [nn.MaxPool2d(3, 2),
               nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(inplace=True),
               nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(inplace=True),
               nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
               nn.Flatten(), nn.LazyLinear(4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
               nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
               nn.Linear(4096, num_classes)]
    return nn.Sequential(*layers)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--input-size", type=int, default=227)
    ap.add_argument("--lrn", default="conv2", choices=["none", "conv2", "conv1,conv2"])
    ap.add_argument("--precision", default="fp32", choices=["fp32", "tf32", "fp16", "bf16"])
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    ap.add_argument("--variant", default="eager", choices=["eager", "fast", "compiled"])
    a = ap.parse_args()
    if a.variant == "compiled" and not hasattr(torch, "compile"):
        print(f"pytorch_alexnet: --variant compiled needs torch 2 (torch.compile); this is torch {torch.__version__}",
              file=sys.stderr)
        sys.exit(3)

    device = torch.device(a.device)
    if a.threads:
        torch.set_num_threads(a.threads)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
        torch.backends.cudnn.benchmark = True
        tf32 = a.precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
    torch.manual_seed(0)
    model = alexnet(10, a.lrn).to(device)
    x = torch.randn(a.batch_size, 3, a.input_size, a.input_size, device=device)
    y = torch.randint(0, 10, (a.batch_size,), device=device)
    model(x)  # materialises the lazy fc6
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    adam_impl = "default"
    if a.variant == "fast":
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
        adam_impl = "fused" if device.type == "cuda" else "foreach"
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, **({adam_impl: True} if adam_impl != "default" else {}))
    step_model = torch.compile(model, mode="reduce-overhead") if a.variant == "compiled" else model
    loss_fn = nn.CrossEntropyLoss()
    half = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(a.precision)
    if device.type == "cpu" and half is torch.float16:
        half = None  # CPU autocast has no float16 (a dry run on the CPU then trains in fp32; "autocast" says so)
    autocast = lambda: torch.autocast(device.type, dtype=half, enabled=half is not None)
    scaler = torch.cuda.amp.GradScaler(enabled=a.precision == "fp16" and device.type == "cuda")

    def train_step():
        opt.zero_grad(set_to_none=True)
        with autocast():
            loss = loss_fn(step_model(x), y)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()

    model.train()
    w0 = time.perf_counter()
    for _ in range(a.warmup):
        train_step()
    sync(device)
    warmup_s = time.perf_counter() - w0
    t0 = time.perf_counter()
    for _ in range(a.steps):
        train_step()
    sync(device)
    train_s = (time.perf_counter() - t0) / a.steps

    model.eval()
    with torch.no_grad(), autocast():
        for _ in range(a.warmup):
            step_model(x)
        sync(device)
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step_model(x)
        sync(device)
        infer_s = (time.perf_counter() - t0) / a.steps

    out = {
        "program": "pytorch", "torch": torch.__version__, "device": str(device),
        "device_name": torch.cuda.get_device_name(0) if device.type == "cuda" else platform.processor() or "cpu",
        "threads": torch.get_num_threads(), "batch_size": a.batch_size, "input_size": a.input_size,
        "precision": a.precision, "autocast": str(half).replace("torch.", "") if half is not None else None,
        "lrn": a.lrn, "steps": a.steps, "warmup": a.warmup, "variant": a.variant, "adam": adam_impl,
        "channels_last": a.variant == "fast", "warmup_seconds": warmup_s,
        "train_step_ms": train_s * 1e3, "train_images_per_second": a.batch_size / train_s,
        "inference_batch_ms": infer_s * 1e3, "inference_images_per_second": a.batch_size / infer_s,
        "cudnn_benchmark": device.type == "cuda",
        "versions": {
            "torch": torch.__version__, "cuda": torch.version.cuda,
            "cudnn": torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
        },
        "memory": {
            "max_allocated_bytes": torch.cuda.max_memory_allocated(),
            "max_reserved_bytes": torch.cuda.max_memory_reserved(),
        } if device.type == "cuda" else None,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
