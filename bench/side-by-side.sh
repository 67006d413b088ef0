#!/usr/bin/env bash
# alexnet-cuda and PyTorch side by side on one GPU, in one run: `bench` and bench/pytorch_alexnet.py for each
# precision (fp32, tf32, fp16, bf16), one after the other on the same card, at the notebook's shape (batch 64, input 227,
# LRN after conv2, Adam). Writes OUT_DIR/<date>-<card>.md: the card, driver and library versions, a table per
# precision with the ratio, alexnet-cuda's per-layer gaps, and both commands with their raw outputs.
#
# On the GPU machine (no JDK or Maven there; the bundle of ../shared/device carries a Java runtime and the jar),
# from the repository root:
#     . .device/env.sh && bench/side-by-side.sh
# PyTorch runs once per variant of bench/pytorch_alexnet.py (VARIANTS, default "eager fast": plain eager, and
# channels_last with fused Adam; "compiled" adds torch.compile with CUDA graphs, whose compilation takes minutes), and
# the report compares alexnet-cuda with the fastest of them.
# Settings, from the environment: STEPS (50), WARMUP (10), BATCH (64), INPUT (227), PRECISIONS ("fp32 tf32 fp16 bf16"),
# VARIANTS ("eager fast"),
# OUT_DIR (docs/perf), JAR (ALEXNET_JAR, else target/alexnet-cuda.jar), JAVA (java), PYTHON (python3, with torch),
# ALEXNET (the whole command that runs alexnet-cuda, instead of "$JAVA -jar $JAR": the tests use the classpath).
# DEVICE=sim runs alexnet-cuda on the CPU simulator and PyTorch on the CPU: a dry run of this script, marked so.
# Exit code: 0 when every run succeeded, 1 when one failed (the report is written anyway), 2 for bad settings.
set -uo pipefail
cd "$(dirname "$0")/.."

DEVICE=${DEVICE:-gpu}
STEPS=${STEPS:-50}
WARMUP=${WARMUP:-10}
BATCH=${BATCH:-64}
INPUT=${INPUT:-227}
PRECISIONS=${PRECISIONS:-fp32 tf32 fp16 bf16}
VARIANTS=${VARIANTS:-eager fast}
OUT_DIR=${OUT_DIR:-docs/perf}
JAR=${JAR:-${ALEXNET_JAR:-target/alexnet-cuda.jar}}
JAVA=${JAVA:-java}
PYTHON=${PYTHON:-python3}

fail() { echo "side-by-side: $*" >&2; exit 2; }
case $DEVICE in
    gpu) torch_device=cuda ;;
    sim) torch_device=cpu ;;
    *) fail "DEVICE must be gpu or sim (got '$DEVICE')" ;;
esac
command -v "$JAVA" >/dev/null 2>&1 || fail "$JAVA not found (on the GPU machine: . .device/env.sh)"
if [ -n "${ALEXNET:-}" ]; then
    read -r -a alexnet <<< "$ALEXNET"
else
    [ -f "$JAR" ] || fail "no $JAR: build it (mvn -B package -DskipTests), or on the GPU machine source .device/env.sh"
    alexnet=("$JAVA" -jar "$JAR")
fi
command -v "$PYTHON" >/dev/null 2>&1 || fail "$PYTHON not found: it runs PyTorch and writes the report"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$DEVICE" = gpu ]; then
    smi=$(nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 | head -1)
    card=$(echo "$smi" | cut -d, -f1 | xargs)
else
    smi="none (simulator)"
    card=simulator
fi
slug=$(echo "${card:-unknown}" | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9]\{1,\}/-/g' -e 's/^-//' -e 's/-$//')

# run NAME COMMAND...: the command line (paths under this folder made relative), stdout, stderr and exit code
# into $work/NAME.{cmd,out,err,rc}.
status=0
run() {
    local name=$1
    shift
    echo "side-by-side: $name" >&2
    printf '%q ' "$@" | sed "s|$PWD/||g" > "$work/$name.cmd"
    "$@" > "$work/$name.out" 2> "$work/$name.err"
    local rc=$?
    echo "$rc" > "$work/$name.rc"
    [ "$rc" -eq 0 ] || status=1
}

for p in $PRECISIONS; do
    run "alexnet-$p" "${alexnet[@]}" bench --device "$DEVICE" --precision "$p" --batch-size "$BATCH" \
        --input-size "$INPUT" --warmup "$WARMUP" --steps "$STEPS" --json
    for v in $VARIANTS; do
        run "pytorch-$p-$v" "$PYTHON" bench/pytorch_alexnet.py --device "$torch_device" --precision "$p" \
            --variant "$v" --batch-size "$BATCH" --input-size "$INPUT" --warmup "$WARMUP" --steps "$STEPS"
    done
done

build="$("${alexnet[@]}" --version 2>&1 | head -1)"
commit=$(git rev-parse --short HEAD 2>/dev/null) && build="$build, commit $commit"
mkdir -p "$OUT_DIR" || fail "cannot create $OUT_DIR"
report="$OUT_DIR/$(date -u +%F)-$slug.md"
n=2
while [ -e "$report" ]; do
    report="$OUT_DIR/$(date -u +%F)-$slug-$n.md"
    n=$((n + 1))
done
"$PYTHON" bench/perf_report.py "$work" --device "$DEVICE" --card "$card" --smi "$smi" \
    --java "$("$JAVA" -version 2>&1 | head -1)" --build "$build" --precisions "$PRECISIONS" \
    --variants "$VARIANTS" > "$report" \
    || fail "the report could not be written (see above)"
echo "side-by-side: wrote $report" >&2
sed -n '/^## Results/,/^## Commands/p' "$report" | sed '$d'
exit $status
