#!/usr/bin/env python3
"""Writes the markdown report of bench/side-by-side.sh from the folder of its raw outputs.

The folder holds, per run NAME (alexnet-fp32, pytorch-fp32-eager, pytorch-fp32-fast, alexnet-tf32, ...): NAME.cmd (the command line),
NAME.out (stdout: one JSON object), NAME.err (stderr) and NAME.rc (exit code). The report has the host, the
versions, one table per precision comparing alexnet-cuda with the fastest PyTorch variant (each variant's rate
listed under it), alexnet-cuda's per-layer gaps, and every command and raw output verbatim, so that the numbers can
be checked against what was printed.

  python3 bench/perf_report.py RUNDIR --device gpu --card NAME --smi LINE --java LINE --build LINE \
      --precisions "fp32 tf32 fp16 bf16" --variants "eager fast" > report.md
"""
import argparse
import datetime
import json
import os

EPOCH_TRAIN = 50000  # CIFAR-10's training and test sets, for the 10-epoch estimate
EPOCH_TEST = 10000


def read(folder, name, ext):
    path = os.path.join(folder, name + "." + ext)
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def result(folder, name):
    """The run's JSON object (the last stdout line that parses as one), or None, and its exit code."""
    rc = read(folder, name, "rc").strip() or "?"
    for line in reversed(read(folder, name, "out").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line), rc
            except ValueError:
                pass
    return None, rc


def num(v, digits=1):
    return "n/a" if v is None else f"{v:,.{digits}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def get(obj, key):
    return None if obj is None else obj.get(key)


def fastest(folder, p, variants):
    """The PyTorch variant with the highest training rate: (its name, its result), or (None, None)."""
    best = (None, None)
    for v in variants:
        r, _ = result(folder, f"pytorch-{p}-{v}")
        if r and (best[1] is None or r["train_images_per_second"] > best[1]["train_images_per_second"]):
            best = (v, r)
    return best


def table(out, p, java, torch, variant=None):
    out.append(f"### {p}\n")
    who = f"PyTorch ({variant}, the fastest variant)" if variant else "PyTorch"
    out.append(f"| metric | alexnet-cuda | {who} | alexnet-cuda / PyTorch |")
    out.append("|---|---:|---:|---:|")
    for key, label, higher in (("train_images_per_second", "training images/s", True),
                               ("train_step_ms", "training step ms", False),
                               ("inference_images_per_second", "inference images/s", True),
                               ("inference_batch_ms", "inference batch ms", False)):
        a, b = get(java, key), get(torch, key)
        r = ratio(a, b)
        out.append(f"| {label} | {num(a, 2)} | {num(b, 2)} | {num(r, 3)}{'' if higher else ' (lower is faster)'} |")
    mem_j = get(get(java, "memory"), "device_used_peak_bytes")
    mem_t = get(get(torch, "memory"), "max_reserved_bytes")
    out.append(f"| device memory MiB (alexnet-cuda: in use at the peak, context included; PyTorch: its "
               f"allocator's peak reserve, context excluded) | {num(mem_j and mem_j / 2**20)} | "
               f"{num(mem_t and mem_t / 2**20)} | |")
    out.append("")
    r = ratio(get(java, "train_images_per_second"), get(torch, "train_images_per_second"))
    if r is not None:
        out.append(f"Training images/s at least PyTorch's: **{'yes' if r >= 1 else 'no'}** (ratio {r:.3f}).")
    tr, inf = get(java, "train_images_per_second"), get(java, "inference_images_per_second")
    if tr and inf:
        est = 10 * (EPOCH_TRAIN / tr + EPOCH_TEST / inf)
        out.append(f"10 epochs of CIFAR-10 at these bench rates would take about {est:.1f} s (an estimate from "
                   "steady-state bench rates, without start-up, data loading, checkpoints or the last partial "
                   "batch; `train` measures the real thing).")
    if java:
        out.append(f"alexnet-cuda achieved {num(java.get('train_tflops'), 2)} TFLOP/s in training, "
                   f"{100 * (java.get('train_fraction_of_peak') or 0):.1f}% of {num(java.get('peak_tflops'), 0)} "
                   f"({java.get('peak_tflops_source')}); counted FLOPs: {num(java.get('train_gflop_per_image'), 2)} "
                   "GFLOP per image per step.")
        algos = java.get("conv_algorithms") or {}
        if algos:
            out.append("cuDNN algorithms (forward / backward data / backward filter, the math type they run in): "
                       + "; ".join(f"{k} {v['forward']} / {v['backward_data'] or 'none'} / {v['backward_filter']} "
                                   f"({v.get('descriptor_math', '?')})" for k, v in algos.items()) + ".")
            timed_apart = [f"{k}: {', '.join(v['math_mismatches'])}" for k, v in algos.items()
                           if v.get("math_mismatches")]
            if timed_apart:
                out.append("**Not what was timed**: cuDNN timed these passes in another math type than they run in: "
                           + "; ".join(timed_apart) + ".")
        g = java.get("largest_gap")
        if g:
            out.append(f"Largest gap to the FLOP floor: **{g['layer']} {g['pass']}**, {g['measured_ms']:.3f} ms "
                       f"measured against {g['floor_ms']:.3f} ms.")
    out.append("")


def layers(out, p, java):
    if not java or not java.get("layers"):
        return
    rows = []
    for l in java["layers"]:
        for pas in ("forward", "backward"):
            rows.append((l[pas + "_gap_ms"], l["name"], pas, l[pas + "_ms"], l[pas + "_floor_ms"]))
    rows.sort(reverse=True)
    out.append(f"alexnet-cuda {p}, the ten layer passes furthest above their FLOP floor (eager steps timed by "
               "events; memory-bound layers have a floor of 0):\n")
    out.append("| layer | pass | measured ms | floor ms | gap ms |")
    out.append("|---|---|---:|---:|---:|")
    for gap, name, pas, ms, floor in rows[:10]:
        out.append(f"| {name} | {pas} | {ms:.3f} | {floor:.3f} | {gap:.3f} |")
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--device", required=True)
    ap.add_argument("--card", required=True)
    ap.add_argument("--smi", default="")
    ap.add_argument("--java", default="")
    ap.add_argument("--build", default="")
    ap.add_argument("--precisions", default="fp32 tf32 fp16 bf16")
    ap.add_argument("--variants", default="eager fast")
    a = ap.parse_args()
    precisions = a.precisions.split()
    variants = a.variants.split()
    results = {("alexnet", p): result(a.folder, f"alexnet-{p}") for p in precisions}
    best_variant = {}
    for p in precisions:
        v, r = fastest(a.folder, p, variants)
        best_variant[p] = v
        results[("pytorch", p)] = (r, "0" if r else "?")

    out = [f"# alexnet-cuda and PyTorch side by side: {a.card}, "
           f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n"]
    if a.device != "gpu":
        out.append("> **DRY RUN, NOT A MEASUREMENT.** alexnet-cuda ran on the CPU simulator of the device API and "
                   "PyTorch on the CPU; the numbers only show that the script works.\n")
    anyj = next((results[("alexnet", p)][0] for p in precisions if results[("alexnet", p)][0]), None)
    anyt = next((results[("pytorch", p)][0] for p in precisions if results[("pytorch", p)][0]), None)
    v = get(anyj, "versions") or {}
    tv = get(anyt, "versions") or {}
    out.append("## Host\n")
    out.append(f"- card (nvidia-smi: name, driver, memory, compute capability): {a.smi or 'n/a'}")
    out.append(f"- alexnet-cuda: {a.build or 'n/a'}; engine {get(anyj, 'engine')}; driver CUDA "
               f"{v.get('driver_cuda', 'n/a')}, cuBLAS {v.get('cublas', 'n/a')}, cuDNN {v.get('cudnn', 'n/a')}")
    out.append(f"- Java: {a.java or 'n/a'}")
    out.append(f"- PyTorch: {tv.get('torch', 'n/a')}, CUDA {tv.get('cuda', 'n/a')}, cuDNN {tv.get('cudnn', 'n/a')}, "
               f"device {get(anyt, 'device_name') or 'n/a'}")
    shape = anyj or anyt or {}
    out.append(f"- workload: batch {shape.get('batch_size', '?')}, input {shape.get('input_size', '?')}, LRN after "
               f"conv2, Adam; {shape.get('warmup', '?')} warm-up and {shape.get('steps', '?')} measured steps; "
               "synthetic data already on the device for both (alexnet-cuda gathers and preprocesses its batch from "
               "uint8 inside each step, PyTorch trains on a ready float batch); alexnet-cuda replays CUDA graphs and "
               "picks cuDNN algorithms by measurement (cudnnFind*), PyTorch runs eagerly with cudnn.benchmark "
               "autotuning; fp16 and bf16 are PyTorch's autocast (with GradScaler for fp16) against alexnet-cuda's "
               "16-bit storage with FP32 master weights")
    out.append("")
    out.append("## Results\n")
    for p in precisions:
        java, jrc = results[("alexnet", p)]
        torch, _ = results[("pytorch", p)]
        rcs = ", ".join(f"{v} exit {read(a.folder, f'pytorch-{p}-{v}', 'rc').strip() or '?'}" for v in variants)
        if java is None or torch is None:
            out.append(f"**{p}: incomplete** (alexnet-cuda exit {jrc}; PyTorch {rcs}; see the raw outputs).\n")
        table(out, p, java, torch, best_variant[p])
        rates = []
        for v in variants:
            r, rc = result(a.folder, f"pytorch-{p}-{v}")
            rates.append(f"{v} {num(get(r, 'train_images_per_second'), 2)}" if r else f"{v} failed (exit {rc})")
        out.append(f"PyTorch variants, training images/s: {'; '.join(rates)}.\n")
        layers(out, p, java)
    out.append("## Commands and raw outputs\n")
    for p in precisions:
        for name in [f"alexnet-{p}"] + [f"pytorch-{p}-{v}" for v in variants]:
            out.append(f"### {name} (exit {read(a.folder, name, 'rc').strip() or '?'})\n")
            out.append("```\n$ " + read(a.folder, name, "cmd").strip() + "\n```\n")
            out.append("stdout:\n\n```\n" + read(a.folder, name, "out").strip() + "\n```\n")
            err = read(a.folder, name, "err").strip()
            if err:
                out.append("stderr (last 40 lines):\n\n```\n" + "\n".join(err.splitlines()[-40:]) + "\n```\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
