#!/usr/bin/env bash
# Everything worth knowing about this program on a GPU machine (run from the repository root after
# `. .device/env.sh`, which puts a Java runtime and the image's CUDA libraries in place; see ../shared/device).
# Sections, all by default, or those named on the command line (each fits in a few minutes, so a session with a
# per-command time limit can run them one at a time):
#   host        the card, driver, Java, the probe
#   device      the `device` report
#   suite       the GPU test suite (tagged gpu): mvn verify -Pgpu where Maven is, else scripts/gpu-suite.sh (the
#               same tests from target/gpu-suite, which mvn package makes; carry it with .device)
#   epoch       one epoch of the notebook's configuration (fp32) on synthetic data of CIFAR-10's size
#   tenepochs   10 epochs in tf32 on the same data, timed (the issue's "10 epochs under 60 s" target); TEN=bf16
#               (or any precision) times that one instead
#   precision   bench/precision-accuracy.sh on the GPU: the synthetic set trained in fp32, tf32, fp16 and bf16,
#               accuracy against fp32, a markdown report in $OUT/perf
#   sidebyside  bench/side-by-side.sh: alexnet-cuda and PyTorch, fp32, tf32, fp16 and bf16, a report in $OUT/perf
#   nsys        Nsight Systems on 5 profiled steps per precision (NVTX per layer), with summaries as text
#   ncu         Nsight Compute, full set, on one profiled training step in tf32
#   sanitizer   a short training run under compute-sanitizer (memcheck)
# Output: a log on stdout; reports and summaries under OUT (default /tmp/gpu-check; on the device machine pass
# OUT="$OUT" so they come back). Commit the log under
# docs/gpu-runs/ and the side-by-side report under docs/perf/, with the date and the card.
set -uo pipefail
JAR=${JAR:-${ALEXNET_JAR:-target/alexnet-cuda.jar}}
OUT=${OUT:-/tmp/gpu-check}
DATA=${DATA:-/tmp/alexnet-cuda-synth-full}
# Run folders stay out of OUT: a full-size checkpoint is 0.7 GB (weights and Adam's moments).
RUNS=${RUNS:-/tmp/alexnet-cuda-runs}
mkdir -p "$OUT"
step() { echo; echo "=== $* ($(date -u +%H:%M:%S))"; }
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(host device suite epoch tenepochs precision sidebyside nsys ncu sanitizer)
TEN=${TEN:-tf32}

# A run folder of its own, emptied: a second check on the same machine starts a new run, not a refused one.
fresh() { rm -rf "${RUNS:?}/$1"; echo "$RUNS/$1"; }

# Synthetic data of CIFAR-10's size and format: the same work per epoch as the real set (no internet here).
synth_full() {
    [ -f "$DATA/test_batch.bin" ] || java -jar "$JAR" synth --out "$DATA" --train 50000 --test 10000 --seed 1
}

host() {
    step "host"
    date -u; uname -a
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1 || echo "nvidia-smi: not found"
    java -version 2>&1 | head -1
    [ -f .device/probe.sh ] && bash .device/probe.sh 2>&1 | tail -20
}

device() {
    step "device report"
    java -jar "$JAR" device; echo "exit $?"
}

suite() {
    step "GPU test suite"
    if command -v mvn >/dev/null 2>&1; then
        mvn -B -o verify -Pgpu -Dnative.skip 2>&1 | grep -E "Tests run|FAIL|GPU tests|relative error|BUILD" | tail -40
    else
        # No Maven on the GPU machine: the same tests from target/gpu-suite (carry it with .device).
        bash scripts/gpu-suite.sh; echo "exit $?"
    fi
}

epoch() {
    step "one epoch of the notebook's configuration (fp32), synthetic data of CIFAR-10's size"
    synth_full
    java -jar "$JAR" train --device gpu --data-dir "$DATA" --epochs 1 --run-dir "$(fresh epoch-fp32)" --keep 1 --json 2>&1 | tail -30
    echo "exit ${PIPESTATUS[0]}"
}

tenepochs() {
    step "10 epochs in $TEN, timed (the whole process, start-up and evaluation included)"
    synth_full
    local t0 t1
    t0=$(date +%s.%N)
    java -jar "$JAR" train --device gpu --precision "$TEN" --data-dir "$DATA" --epochs 10 \
        --run-dir "$(fresh ten-epochs-$TEN)" --keep 1 --json > "$OUT/ten-epochs-$TEN.json" 2> "$OUT/ten-epochs-$TEN.log"
    local rc=$?
    t1=$(date +%s.%N)
    tail -25 "$OUT/ten-epochs-$TEN.log"
    echo "exit $rc; wall time $(echo "$t1 - $t0" | bc 2>/dev/null || python3 -c "print($t1 - $t0)") s for the process"
    python3 - "$OUT/ten-epochs-$TEN.json" <<'PY' 2>/dev/null || echo "(python3 not available to sum the epochs)"
import json, sys
e = json.load(open(sys.argv[1]))["epochs"]
print(f"sum of the {len(e)} epochs' seconds (training and evaluation): {sum(x['seconds'] for x in e):.2f} s; "
      f"last test accuracy {e[-1]['test_accuracy']:.4f}")
PY
}

precision() {
    step "training accuracy by precision on the synthetic set (fp32, tf32, fp16, bf16)"
    DEVICE=gpu OUT_DIR="$OUT/perf" ALEXNET="java -jar $JAR" bash bench/precision-accuracy.sh
    echo "exit $?"
    cat "$OUT"/perf/*-precision-accuracy-gpu.md 2>/dev/null | sed -n '1,30p'
}

sidebyside() {
    step "alexnet-cuda and PyTorch side by side, fp32, tf32, fp16 and bf16"
    JAR="$JAR" OUT_DIR="$OUT/perf" bash bench/side-by-side.sh; echo "exit $?"
}

nsys_section() {
    step "Nsight Systems: 5 eager steps per precision with NVTX ranges (bench --profile-steps 5)"
    if ! command -v nsys >/dev/null 2>&1; then echo "nsys: not found"; return; fi
    mkdir -p "$OUT/nsys"
    local p rep
    for p in fp32 tf32; do
        rep="$OUT/nsys/bench-$p"
        nsys profile -t cuda,nvtx,cudnn,cublas --capture-range=cudaProfilerApi --capture-range-end=stop \
            --sample=none --cpuctxsw=none -f true -o "$rep" \
            java -jar "$JAR" bench --device gpu --precision "$p" --warmup 10 --steps 20 --profile-steps 5 \
            > "$rep.bench.txt" 2>&1
        echo "nsys $p: exit $?; $(tail -3 "$rep.bench.txt" | tr '\n' ' ')"
        # Report names changed across nsys versions; the first that exists is used.
        for r in nvtx_gpu_proj_sum nvtx_sum cuda_gpu_kern_sum gpukernsum cuda_api_sum cuda_gpu_mem_time_sum; do
            nsys stats -r "$r" -f csv -o "$rep" "$rep.nsys-rep" >/dev/null 2>&1 && echo "  wrote ${rep}_$r.csv"
        done
        ls "$OUT/nsys" | grep "bench-$p" | sed 's/^/  /'
        nsys stats -r cuda_gpu_kern_sum "$rep.nsys-rep" 2>/dev/null | head -25
    done
}

ncu_section() {
    step "Nsight Compute: every kernel of one eager tf32 training step, full set"
    if ! command -v ncu >/dev/null 2>&1; then echo "ncu: not found"; return; fi
    mkdir -p "$OUT/ncu"
    ncu --profile-from-start off --nvtx --set full -f -o "$OUT/ncu/step-tf32" \
        java -jar "$JAR" bench --device gpu --precision tf32 --warmup 3 --steps 3 --profile-steps 1 \
        > "$OUT/ncu/step-tf32.bench.txt" 2>&1
    echo "ncu: exit $?; $(tail -3 "$OUT/ncu/step-tf32.bench.txt" | tr '\n' ' ')"
    ncu --import "$OUT/ncu/step-tf32.ncu-rep" --page raw --csv \
        --metrics gpu__time_duration.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed \
        > "$OUT/ncu/step-tf32.csv" 2>&1
    echo "wrote $OUT/ncu/step-tf32.csv ($(wc -l < "$OUT/ncu/step-tf32.csv") lines)"
}

sanitizer() {
    step "compute-sanitizer memcheck, a short run"
    if command -v compute-sanitizer >/dev/null 2>&1; then
        compute-sanitizer --tool memcheck --error-exitcode 9 java -jar "$JAR" train --device gpu \
            --data-dir test-data/synth-small --input-size 67 --epochs 1 --limit-train 128 --limit-test 64 --batch-size 32 \
            --run-dir "$(fresh sanitizer)" 2>&1 | tail -15
        echo "exit ${PIPESTATUS[0]}"
    else
        echo "compute-sanitizer: not found"
    fi
}

all="host device suite epoch tenepochs precision sidebyside nsys ncu sanitizer"
for s in "${sections[@]}"; do
    case " $all " in
        *" $s "*) ;;
        *) echo "gpu-check: unknown section '$s' (sections: $all)" >&2; exit 2 ;;
    esac
done
for s in "${sections[@]}"; do
    case $s in
        nsys) nsys_section ;;
        ncu) ncu_section ;;
        *) "$s" ;;
    esac
done
