#!/usr/bin/env bash
# The first contact with a GPU, planned for one 15-minute slot of the team's GPU machine (its start, the transfers,
# every command and every idle wait count; one command may run 10 minutes). One command brings back the records
# that decide everything else, most important first, each step under its own timeout so that a hang costs its step
# and not the slot, everything written under $OUT as it goes (a command cut short still returns what it wrote):
#
#   first (default, at most BUDGET = 470 s):
#     00-host          date, kernel, nvidia-smi, Java, the library versions of the image, the probe
#     01-device        alexnet-cuda --version and the `device` report (which libraries load, the cuBLAS route)
#     02-suite         the GPU test suite (scripts/gpu-suite.sh)
#     03-epoch-fp32    one epoch at the notebook's size (batch 64, input 227) on CIFAR-10-sized synthetic data
#     04-epoch-tf32    the same in tf32
#     05-ten-epochs    10 epochs in tf32, timed (the target: under 60 s)
#     06-side-by-side  bench in fp32 and tf32 beside PyTorch (eager, and channels_last with fused Adam) on the card
#     07-sanitizer-*   two training steps at a small input under compute-sanitizer: memcheck, racecheck, synccheck,
#                      initcheck (a refusal of the device is recorded, and the next tool runs)
#   second (only with 5 minutes or more left in the slot):
#     10-side-by-side-16bit  fp16 and bf16 against PyTorch's autocast, torch.compile included
#     11-compiled-32bit      PyTorch's torch.compile variant in fp32 and tf32 (its compilation takes minutes)
#     12-precision           training accuracy by precision on the synthetic set
#     13-ncu                 Nsight Compute on one eager training step (try, record)
#   nsys (where Nsight Systems works; it does not on the team's GPU machine):
#     20-nsys                timelines of 5 eager profiled steps in fp32 and tf32, NVTX per layer, with summaries
#
# On the GPU machine, from the repository root, with carry [".device", "target/gpu-suite"]:
#     . .device/env.sh; OUT=$OUT bash scripts/gpu-first-contact.sh
# Before sending, on the development machine: bash scripts/gpu-carry-check.sh (what travels fits in 64 MiB).
# Rehearsal without a GPU (CI runs it, see FirstContactRehearsalTest): DEVICE=sim runs every step on the CPU
# simulator at a small size (PyTorch on the CPU, or skipped without torch; no compute-sanitizer, no ncu), so that GPU
# minutes are never spent on a script bug. DEVICE=standin rehearses the GPU path itself (--device gpu through JCuda,
# our PTX and kernel launches) on the host stand-in that mvn package builds (target/standin, or ALEXNET_CUDA_LIB_PATH),
# at the same small size; its side-by-side and precision steps run their scripts' dry runs on the simulator. Nothing a
# rehearsal writes is a GPU result.
#
# Settings, from the environment: DEVICE (gpu | sim | standin), OUT, BUDGET (seconds for the command), JAR
# (ALEXNET_JAR, else target/alexnet-cuda.jar), ALEXNET (the whole command that runs alexnet-cuda instead of
# java -jar $JAR), PYTHON (python3), DATA (where the synthetic CIFAR-10-sized set is made), RUNS (run folders; not
# under OUT: a full-size checkpoint is 0.7 GB). Exit code: 0 when the command ran to its end (steps may have failed: read their files),
# 2 for bad settings.
set -uo pipefail
cd "$(dirname "$0")/.."
SELF=scripts/gpu-first-contact.sh

DEVICE=${DEVICE:-gpu}
OUT=${OUT:-/tmp/gpu-first-contact}
BUDGET=${BUDGET:-470}
JAR=${JAR:-${ALEXNET_JAR:-target/alexnet-cuda.jar}}
PYTHON=${PYTHON:-python3}
RUNS=${RUNS:-/tmp/alexnet-cuda-first-contact-runs}
if [ -n "${ALEXNET:-}" ]; then
    read -r -a alexnet <<< "$ALEXNET"
else
    alexnet=(java -jar "$JAR")
fi

# The notebook's size on a GPU; on the simulator a narrow network at a small input, on the committed small set.
case $DEVICE in
    gpu) DATA=${DATA:-/tmp/alexnet-cuda-synth-full}; SIZE=(--batch-size 64 --input-size 227); LIMIT=()
         BENCH=(STEPS=30 WARMUP=5 BATCH=64 INPUT=227) ;;
    sim|standin) DATA=${DATA:-test-data/synth-small}; SIZE=(--batch-size 8 --input-size 67 --widths 4,8,8,8,8,16)
         LIMIT=(--limit-train 32 --limit-test 16); BENCH=(STEPS=1 WARMUP=0 BATCH=2 INPUT=67) ;;
    *) echo "gpu-first-contact: DEVICE must be gpu, sim or standin (got '$DEVICE')" >&2; exit 2 ;;
esac
# What --device the program is given (the stand-in is the GPU path), and the device of the benchmark scripts' runs.
RUN_DEVICE=$DEVICE
SCRIPT_DEVICE=$DEVICE
if [ "$DEVICE" = standin ]; then
    RUN_DEVICE=gpu
    SCRIPT_DEVICE=sim
    export ALEXNET_CUDA_LIB_PATH=${ALEXNET_CUDA_LIB_PATH:-$PWD/target/standin}
    [ -f "$ALEXNET_CUDA_LIB_PATH/libcuda.so.1" ] || {
        echo "gpu-first-contact: no host stand-in in $ALEXNET_CUDA_LIB_PATH (mvn -B package builds it)" >&2; exit 2; }
fi

fresh() { rm -rf "${RUNS:?}/$1"; echo "$RUNS/$1"; }

# ----------------------------------------------------------------------------------------------- the steps

step_host() {
    date -u; uname -a
    nvidia-smi 2>&1 | head -20 || echo "nvidia-smi: not found"
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap,clocks.max.sm --format=csv 2>&1
    java -version 2>&1 | head -2
    "$PYTHON" -m pip list 2>/dev/null | grep -iE '^(torch|nvidia-cublas|nvidia-cudnn|nvidia-cuda-runtime|nvidia-nvtx) ' \
        || echo "pip: no package list"
    "$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn",
        torch.backends.cudnn.version(), "gpu", torch.cuda.is_available())' 2>&1 | tail -1
    for t in nvcc ncu nsys compute-sanitizer; do printf '%s: ' "$t"; command -v "$t" || echo missing; done
    if [ -f .device/probe.sh ]; then bash .device/probe.sh 2>&1; else echo "probe: no .device/probe.sh"; fi
    du -sh . 2>/dev/null | sed 's/^/checkout as received: /'
}

step_device() {
    "${alexnet[@]}" --version
    "${alexnet[@]}" device
}

step_suite() {
    bash scripts/gpu-suite.sh
}

# Synthetic data of CIFAR-10's size and format (no internet on the GPU machine): the same work per epoch as the real
# set. On the simulator the committed small set.
synth_data() {
    if [ "$DEVICE" = gpu ] && [ ! -f "$DATA/test_batch.bin" ]; then
        "${alexnet[@]}" synth --out "$DATA" --train 50000 --test 10000 --seed 1 || return 1
    fi
}

# train PRECISION EPOCHS NAME: the notebook's run, its epoch lines and --json, and the process's wall time.
train_timed() {
    synth_data || return 1
    local t0 t1 rc
    t0=$(date +%s.%N)
    "${alexnet[@]}" train --device "$RUN_DEVICE" --precision "$1" --data-dir "$DATA" "${SIZE[@]}" "${LIMIT[@]}" \
        --epochs "$2" --run-dir "$(fresh "$3")" --keep 1 --json
    rc=$?
    t1=$(date +%s.%N)
    echo "wall time of the process: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (start-up, data upload and evaluation included)"
    return $rc
}

step_epoch() { train_timed "$1" 1 "epoch-$1"; }

step_ten() { train_timed tf32 10 ten-epochs-tf32; }

# side-by-side PRECISIONS VARIANTS: bench/side-by-side.sh, its report under OUT/perf.
side_by_side() {
    "$PYTHON" -c 'import torch' 2>/dev/null \
        || echo "PyTorch: $PYTHON has no torch here; its runs fail and the report says incomplete"
    local settings=("${BENCH[@]}" DEVICE="$SCRIPT_DEVICE" PRECISIONS="$1" VARIANTS="$2" OUT_DIR="$OUT/perf"
                    PYTHON="$PYTHON" JAR="$JAR")
    [ -n "${ALEXNET:-}" ] && settings+=(ALEXNET="$ALEXNET")
    env "${settings[@]}" bash bench/side-by-side.sh
}

step_side_by_side() { side_by_side "fp32 tf32" "eager fast"; }

# Two training steps at a small input, under one compute-sanitizer tool.
step_sanitizer() {
    local cmd=("${alexnet[@]}" train --device "$RUN_DEVICE" --data-dir test-data/synth-small --input-size 67
               --batch-size 8 --epochs 1 --limit-train 16 --limit-test 8 --run-dir "$(fresh "sanitizer-$1")")
    if [ "$DEVICE" != gpu ]; then
        echo "rehearsal: no GPU for compute-sanitizer to watch, so the same command runs without compute-sanitizer"
        "${cmd[@]}" --widths 4,8,8,8,8,16
        return
    fi
    if ! command -v compute-sanitizer >/dev/null 2>&1; then
        echo "compute-sanitizer: not found; nothing checked"
        return 0
    fi
    local extra=()
    [ "$1" = racecheck ] && extra=(--racecheck-report all)
    compute-sanitizer --tool "$1" --error-exitcode 9 --print-limit 50 "${extra[@]}" "${cmd[@]}"
}

step_side_by_side_16bit() { side_by_side "fp16 bf16" "eager fast compiled"; }

step_compiled_32bit() { side_by_side "fp32 tf32" "compiled"; }

step_precision() {
    DEVICE="$SCRIPT_DEVICE" OUT_DIR="$OUT/perf" ALEXNET="${alexnet[*]}" bash bench/precision-accuracy.sh
}

step_ncu() {
    if [ "$DEVICE" != gpu ]; then
        echo "rehearsal: ncu profiles GPU kernels only; the bench command it would wrap runs alone"
        "${alexnet[@]}" bench --device "$RUN_DEVICE" --input-size 67 --batch-size 2 --widths 4,8,8,8,8,16 --warmup 0 --steps 1 \
            --profile-steps 1
        return
    fi
    if ! command -v ncu >/dev/null 2>&1; then echo "ncu: not found"; return 0; fi
    mkdir -p "$OUT/ncu"
    ncu --profile-from-start off --nvtx --set full --clock-control none -f -o "$OUT/ncu/step-tf32" \
        "${alexnet[@]}" bench --device gpu --precision tf32 --warmup 3 --steps 3 --profile-steps 1
    local rc=$?
    ncu --import "$OUT/ncu/step-tf32.ncu-rep" --page raw --csv --metrics \
        gpu__time_duration.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed \
        > "$OUT/ncu/step-tf32.csv" 2>&1 && echo "wrote $OUT/ncu/step-tf32.csv"
    return $rc
}

step_nsys() {
    if ! command -v nsys >/dev/null 2>&1; then echo "nsys: not found"; return 0; fi
    mkdir -p "$OUT/nsys"
    local p rep r
    for p in fp32 tf32; do
        rep="$OUT/nsys/bench-$p"
        nsys profile -t cuda,nvtx,cudnn,cublas --capture-range=cudaProfilerApi --capture-range-end=stop \
            --sample=none --cpuctxsw=none -f true -o "$rep" \
            "${alexnet[@]}" bench --device gpu --precision "$p" --warmup 10 --steps 20 --profile-steps 5
        echo "nsys $p: exit $?"
        # Report names changed across nsys versions; whichever exists is written.
        for r in nvtx_gpu_proj_sum nvtx_sum cuda_gpu_kern_sum cuda_api_sum cuda_gpu_mem_time_sum; do
            nsys stats -r "$r" -f csv -o "$rep" "$rep.nsys-rep" >/dev/null 2>&1 && echo "  wrote ${rep}_$r.csv"
        done
    done
}

# An internal entry: a step run as its own process, so that timeout can stop it and everything it started.
if [ "${1:-}" = --step ]; then
    shift
    "$@"
    exit $?
fi

# ----------------------------------------------------------------------------------------------- the plan

PART=${1:-first}
mkdir -p "$OUT" || { echo "gpu-first-contact: cannot create $OUT" >&2; exit 2; }
start=$(date +%s)
left() { echo $((BUDGET - ($(date +%s) - start))); }

# section NAME CAP FUNCTION ARGS...: FUNCTION under a timeout of CAP seconds, or of what is left of the budget
# (less 10 s to write the summary), its output on stdout and in OUT/NAME.log; the last line says how it ended.
section() {
    local name=$1 cap=$2
    shift 2
    local log="$OUT/$name.log" l t s rc
    l=$(left)
    echo "=== $name ($(date -u +%H:%M:%S) UTC, device $DEVICE; cap ${cap} s, ${l} s of ${BUDGET} s left)" | tee "$log"
    if [ "$l" -lt 25 ]; then
        echo "skipped: no time left in this command" | tee -a "$log"
        echo "$name skipped" >> "$OUT/summary.txt"
        return
    fi
    t=$((cap < l - 10 ? cap : l - 10))
    s=$(date +%s)
    timeout -k 5 "$t" bash "$SELF" --step "$@" 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    local how="exit $rc"
    [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && how="timed out after $t s (exit $rc)"
    echo "--- $name: $how, $(($(date +%s) - s)) s" | tee -a "$log"
    echo "$name $how, $(($(date +%s) - s)) s" >> "$OUT/summary.txt"
}

{
    echo "gpu-first-contact $PART on $(hostname 2>/dev/null || echo '?'), device $DEVICE, $(date -u +%FT%TZ)"
    [ "$DEVICE" = sim ] && echo "REHEARSAL on the simulator: nothing here is a GPU result"
    [ "$DEVICE" = standin ] && echo "REHEARSAL on the host stand-in (no GPU): nothing here is a GPU result"
} > "$OUT/summary.txt"
case $PART in
    first)
        section 00-host 30 step_host
        section 01-device 40 step_device
        section 02-suite 150 step_suite
        section 03-epoch-fp32 80 step_epoch fp32
        section 04-epoch-tf32 60 step_epoch tf32
        section 05-ten-epochs 150 step_ten
        section 06-side-by-side 150 step_side_by_side
        for tool in memcheck racecheck synccheck initcheck; do
            section "07-sanitizer-$tool" 60 step_sanitizer "$tool"
        done
        ;;
    second)
        section 10-side-by-side-16bit 240 step_side_by_side_16bit
        section 11-compiled-32bit 200 step_compiled_32bit
        section 12-precision 150 step_precision
        section 13-ncu 120 step_ncu
        ;;
    nsys)
        section 20-nsys 300 step_nsys
        ;;
    *) echo "gpu-first-contact: the part is first, second or nsys (got '$PART')" >&2; exit 2 ;;
esac
echo "=== done in $(($(date +%s) - start)) s; summary:"
cat "$OUT/summary.txt"
