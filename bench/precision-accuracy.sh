#!/usr/bin/env bash
# Training accuracy of each precision against fp32, on the synthetic set, in one run: `train --json` with the same
# data, seed, network and epochs for every --precision, on one device, then a table of each epoch's losses and test
# accuracy with the difference to fp32. Writes OUT_DIR/<date>-precision-accuracy-<device>.md with the commands and
# the raw JSON.
#
#     bench/precision-accuracy.sh                  # the CPU simulator (no GPU needed): 16-bit storage is exact,
#                                                  # arithmetic FP32; tf32 is left out (the simulator computes it in FP32)
#     DEVICE=gpu bench/precision-accuracy.sh       # a GPU: all four precisions, real tensor cores
#
# Settings, from the environment: DEVICE (sim), DATA (test-data/synth-small), INPUT (67), EPOCHS (3), BATCH (64),
# SEED (42), PRECISIONS (sim: "fp32 fp16 bf16", gpu: "fp32 tf32 fp16 bf16"), OUT_DIR (docs/perf),
# ALEXNET (the command that runs alexnet-cuda; default java -jar target/alexnet-cuda.jar).
# Exit code: 0 when every run succeeded, 1 when one failed (the report is written anyway), 2 for bad settings.
set -uo pipefail
cd "$(dirname "$0")/.."

DEVICE=${DEVICE:-sim}
DATA=${DATA:-test-data/synth-small}
INPUT=${INPUT:-67}
EPOCHS=${EPOCHS:-3}
BATCH=${BATCH:-64}
SEED=${SEED:-42}
OUT_DIR=${OUT_DIR:-docs/perf}
case $DEVICE in
    sim) PRECISIONS=${PRECISIONS:-fp32 fp16 bf16} ;;
    gpu) PRECISIONS=${PRECISIONS:-fp32 tf32 fp16 bf16} ;;
    *) echo "precision-accuracy: DEVICE must be sim or gpu (got '$DEVICE')" >&2; exit 2 ;;
esac
if [ -n "${ALEXNET:-}" ]; then
    read -r -a alexnet <<< "$ALEXNET"
else
    [ -f target/alexnet-cuda.jar ] || { echo "precision-accuracy: build the jar first (mvn -B package -DskipTests)" >&2; exit 2; }
    alexnet=(java -jar target/alexnet-cuda.jar)
fi
PYTHON=${PYTHON:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for p in $PRECISIONS; do
    cmd=("${alexnet[@]}" train --device "$DEVICE" --precision "$p" --data-dir "$DATA" --input-size "$INPUT"
         --epochs "$EPOCHS" --batch-size "$BATCH" --seed "$SEED" --run-dir "$work/run-$p" --json)
    echo "precision-accuracy: $p ..." >&2
    printf '%q ' "${cmd[@]}" | sed "s|$work|RUN|g" > "$work/$p.cmd"
    "${cmd[@]}" > "$work/$p.json" 2> "$work/$p.err"
    rc=$?
    echo "$rc" > "$work/$p.rc"
    [ "$rc" -eq 0 ] || status=1
done

mkdir -p "$OUT_DIR"
report="$OUT_DIR/$(date -u +%Y-%m-%d)-precision-accuracy-$DEVICE.md"
"$PYTHON" - "$work" "$DEVICE" "$PRECISIONS" > "$report" <<'PY'
import json, os, sys
work, device, precisions = sys.argv[1], sys.argv[2], sys.argv[3].split()
def load(p):
    try:
        return json.load(open(os.path.join(work, p + ".json")))
    except Exception:
        return None
outputs = {p: load(p) for p in precisions}
runs = {p: (o or {}).get("epochs") for p, o in outputs.items()}
base = runs.get("fp32")
print(f"# Training accuracy by precision, device {device}\n")
if device == "sim":
    print("On the CPU simulator of the device API: 16-bit tensors are stored (rounded) exactly as on a GPU, the "
          "arithmetic of cuDNN and cuBLAS is FP32, so this measures what 16-bit storage, fp16's loss scaling and "
          "FP32 master weights do to training, not tensor-core rounding.\n")
print("| precision | epoch | train loss | test loss | test accuracy | accuracy - fp32 |")
print("|---|---:|---:|---:|---:|---:|")
for p in precisions:
    r = runs[p]
    if r is None:
        print(f"| {p} | failed (exit {open(os.path.join(work, p + '.rc')).read().strip()}) | | | | |")
        continue
    for i, e in enumerate(r):
        d = e["test_accuracy"] - base[i]["test_accuracy"] if base and i < len(base) else float("nan")
        print(f"| {p} | {e['epoch']} | {e['train_loss']:.4f} | {e['test_loss']:.4f} | {e['test_accuracy']:.4f} | {d:+.4f} |")
for p in precisions:
    ls = (outputs[p] or {}).get("loss_scale")
    if ls:
        print(f"\n{p}: final loss scale {ls['scale']:.0f}, {ls['skipped_steps']} step(s) skipped for non-finite gradients.")
print("\nOne run per precision with the same seed: test accuracy on a small test set moves in steps of one image, "
      "and short runs diverge from one another chaotically, so compare the trend, not single epochs.")
print("\n## Commands and raw outputs\n")
for p in precisions:
    print(f"### {p} (exit {open(os.path.join(work, p + '.rc')).read().strip()})\n")
    print("```\n$ " + open(os.path.join(work, p + ".cmd")).read().strip() + "\n```\n")
    print("```\n" + open(os.path.join(work, p + ".json")).read().strip() + "\n```\n")
PY
echo "precision-accuracy: wrote $report" >&2
exit $status
