#!/usr/bin/env bash
# Before a call to the GPU machine: does what travels fit? The device tool copies the working tree (tracked files and
# untracked ones git does not ignore) plus the ignored paths named in carry, 64 MiB in all. This adds them up the same
# way, names the largest, and exits 1 when they exceed the limit, so that a slot is never spent on a refused transfer.
#
#     mvn -B package -DskipTests && ../shared/device/bundle.sh && bash scripts/gpu-carry-check.sh
#
# Settings, from the environment: CARRY (the carried paths, default ".device target/gpu-suite"), LIMIT_MIB (64).
# Exit code: 0 it fits, 1 it does not, 2 a carried path is missing or this is not a git checkout.
set -uo pipefail
cd "$(dirname "$0")/.."
CARRY=${CARRY:-.device target/gpu-suite}
LIMIT_MIB=${LIMIT_MIB:-64}
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "gpu-carry-check: not a git checkout" >&2; exit 2; }

bytes_of_tree() {
    git ls-files -z -co --exclude-standard | xargs -0 -r stat -c %s -- 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}
bytes_of() {
    find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

total=$(bytes_of_tree)
echo "working tree (tracked and untracked, not ignored): $(mib "$total")"
for p in $CARRY; do
    [ -e "$p" ] || { echo "gpu-carry-check: $p is missing (build it: mvn -B package -DskipTests; ../shared/device/bundle.sh)" >&2; exit 2; }
    b=$(bytes_of "$p")
    echo "carry $p: $(mib "$b")"
    total=$((total + b))
done
limit=$((LIMIT_MIB * 1048576))
echo "largest files:"
{ git ls-files -z -co --exclude-standard | xargs -0 -r stat -c '%s %n' -- 2>/dev/null
  for p in $CARRY; do find "$p" -type f -printf '%s %p\n'; done; } | sort -rn | head -5 \
    | awk '{ printf "  %8.1f MiB  %s\n", $1 / 1048576, $2 }'
if [ "$total" -gt "$limit" ]; then
    echo "gpu-carry-check: $(mib "$total") would travel, over the limit of ${LIMIT_MIB} MiB: nothing is sent; trim the largest above"
    exit 1
fi
echo "gpu-carry-check: $(mib "$total") of ${LIMIT_MIB} MiB would travel: it fits"
