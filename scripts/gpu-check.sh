#!/usr/bin/env bash
# Everything worth knowing about this program on a GPU machine, in one run (run from the repository root after
# `. .device/env.sh`, which puts a Java runtime and the image's CUDA libraries in place; see ../shared/device):
#   1. the probe and the `device` report;
#   2. the GPU test suite (tagged gpu) against the CPU reference, if Maven is there, else the jar's own checks;
#   3. one epoch of the notebook's configuration on synthetic data of CIFAR-10's size (50,000 + 10,000 at 227);
#   4. `bench` for fp32 (and the PyTorch baseline side by side when torch with CUDA is importable);
#   5. a short training run under compute-sanitizer (memcheck) when it is installed.
# Output goes to stdout; commit it under docs/gpu-runs/ with the date, card, driver and library versions.
set -uo pipefail
JAR=${JAR:-target/alexnet-cuda.jar}
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT"
step() { echo; echo "=== $* ($(date -u +%H:%M:%S))"; }

step "host"
date -u; uname -a
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1 || echo "nvidia-smi: not found"
java -version 2>&1 | head -1
[ -f .device/probe.sh ] && bash .device/probe.sh 2>&1 | tail -20

step "device report"
java -jar "$JAR" device; echo "exit $?"

step "GPU test suite"
if command -v mvn >/dev/null 2>&1; then
    mvn -B -o verify -Pgpu -Dnative.skip 2>&1 | grep -E "Tests run|FAIL|GPU tests|relative error|BUILD" | tail -40
else
    echo "no Maven here: the suite runs where Maven is; the checks below use the jar"
    java -jar "$JAR" train --device gpu --data-dir test-data/synth-small --input-size 67 --epochs 3 --batch-size 32 --seed 11; echo "exit $?"
    java -jar "$JAR" train --device cpu --data-dir test-data/synth-small --input-size 67 --epochs 3 --batch-size 32 --seed 11; echo "exit $?"
fi

step "one epoch of the notebook's configuration, synthetic data of CIFAR-10's size"
java -jar "$JAR" synth --out "$OUT/synth-full" --train 50000 --test 10000 --seed 1
/usr/bin/time -v java -jar "$JAR" train --device gpu --data-dir "$OUT/synth-full" --epochs 1 --json 2>&1 | tail -30

step "bench fp32, batch 64, input 227"
java -jar "$JAR" bench --device gpu --warmup 10 --steps 50 --json; echo "exit $?"
java -jar "$JAR" bench --device gpu --warmup 10 --steps 50 --no-graph --json; echo "exit $?"
if python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    python3 bench/pytorch_alexnet.py --device cuda --precision fp32
    python3 bench/pytorch_alexnet.py --device cuda --precision tf32
else
    echo "PyTorch with CUDA not importable here: no baseline"
fi

step "compute-sanitizer memcheck, a short run"
if command -v compute-sanitizer >/dev/null 2>&1; then
    compute-sanitizer --tool memcheck --error-exitcode 9 java -jar "$JAR" train --device gpu \
        --data-dir test-data/synth-small --input-size 67 --epochs 1 --limit-train 128 --limit-test 64 --batch-size 32 2>&1 | tail -15
    echo "exit $?"
else
    echo "compute-sanitizer: not found"
fi
