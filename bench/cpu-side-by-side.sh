#!/usr/bin/env bash
# The CPU engine and PyTorch on the CPU, one after the other on the same machine, at the notebook's shape
# (batch 64, input 227, LRN after conv2, Adam): steady-state training step time after warm-up.
# Usage: bench/cpu-side-by-side.sh [steps] [warmup]   (needs target/alexnet-cuda.jar and /usr/bin/python3 with torch)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-3}
warmup=${2:-1}
threads=$(nproc)
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "# java -jar target/alexnet-cuda.jar bench --device cpu --batch-size 64 --input-size 227 --warmup $warmup --steps $steps --json"
java -jar target/alexnet-cuda.jar bench --device cpu --batch-size 64 --input-size 227 --warmup "$warmup" --steps "$steps" --json
echo "# /usr/bin/python3 bench/pytorch_alexnet.py --device cpu --threads $threads --batch-size 64 --input-size 227 --warmup $warmup --steps $steps"
/usr/bin/python3 bench/pytorch_alexnet.py --device cpu --threads "$threads" --batch-size 64 --input-size 227 \
    --warmup "$warmup" --steps "$steps" 2>/dev/null
