#!/usr/bin/env bash
# Checks the committed PTX in cuda/ptx/ (make -C native-kernels check):
#   1. current: regenerating every module from native-kernels/*.cu with the Makefile's own rule gives the
#      committed file byte for byte (a .cu changed without `make` is caught here), and there is no PTX
#      without a source;
#   2. portable: .version is 8.0, no .file/.loc directives or paths are in it;
#   3. valid: ptxas assembles every file for sm_75, sm_80, sm_86, sm_89 and sm_90 with no error and no
#      warning (warnings are errors; register spills and local memory use count as warnings). This also
#      proves that lowering .version to 8.0 was sound: ptxas rejects instructions newer than the ISA.
# Prints one line per file and check, OK or FAIL; exits 1 on any failure. Without nvcc/ptxas (machines
# with no CUDA toolkit) it prints why and exits 0: the committed PTX is then used as it is.
# Environment: NVCC, PTXAS (default: from PATH).
set -euo pipefail
cd "$(dirname "$0")"

NVCC=${NVCC:-nvcc}
PTXAS=${PTXAS:-ptxas}
TARGETS=(sm_75 sm_80 sm_86 sm_89 sm_90)
COMMITTED=../cuda/ptx
ISA=8.0

for tool in "$NVCC" "$PTXAS"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check-ptx: SKIP: '$tool' not found (no CUDA toolkit on this machine); the committed PTX is not checked"
        exit 0
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
    echo "FAIL  $*"
    failures=$((failures + 1))
}

echo "check-ptx: $("$NVCC" --version | grep -o 'release [0-9.]*, V[0-9.]*' || echo 'nvcc (version unknown)')"

# 1. Regenerate with the same Makefile rule into a temporary directory and compare.
if ! make -s --no-print-directory PTX_DIR="$tmp" ptx >"$tmp/make.log" 2>&1; then
    cat "$tmp/make.log"
    fail "regeneration: make ptx failed"
fi
for cu in *.cu; do
    m=${cu%.cu}
    if [[ ! -f $COMMITTED/$m.ptx ]]; then
        fail "current  $m.ptx: missing in cuda/ptx (run make -C native-kernels and commit it)"
    elif [[ ! -f $tmp/$m.ptx ]]; then
        fail "current  $m.ptx: could not be regenerated"
    elif cmp -s "$tmp/$m.ptx" "$COMMITTED/$m.ptx"; then
        echo "OK    current  $m.ptx"
    else
        fail "current  $m.ptx: stale, differs from what $cu generates (run make -C native-kernels and commit):"
        diff -u --label "committed cuda/ptx/$m.ptx" --label "regenerated from $cu" "$COMMITTED/$m.ptx" "$tmp/$m.ptx" | head -n 20 | sed 's/^/      /' || true
        committed_release=$(grep -o 'release [0-9.]*, V[0-9.]*' "$COMMITTED/$m.ptx" || true)
        local_release=$(grep -o 'release [0-9.]*, V[0-9.]*' "$tmp/$m.ptx" || true)
        if [[ "$committed_release" != "$local_release" ]]; then
            echo "      note: committed PTX comes from nvcc $committed_release, this nvcc is $local_release"
        fi
    fi
done
for ptx in "$COMMITTED"/*.ptx; do
    m=$(basename "$ptx" .ptx)
    [[ -f $m.cu ]] || fail "current  $m.ptx: no native-kernels/$m.cu generates it (delete it or add the source)"
done

# 2. and 3. Every committed file.
for ptx in "$COMMITTED"/*.ptx; do
    f=$(basename "$ptx")
    version=$(sed -n 's/^\.version //p' "$ptx")
    if [[ "$version" == "$ISA" ]]; then
        echo "OK    version  $f .version $version"
    else
        fail "version  $f: .version '$version', expected $ISA"
    fi
    if grep -nE '^[[:space:]]*\.(file|loc)[[:space:]]|/(home|root|tmp|work|usr|opt)/' "$ptx" >"$tmp/paths" 2>&1; then
        fail "paths    $f: debug directives or machine paths:"
        head -n 5 "$tmp/paths" | sed 's/^/      /'
    else
        echo "OK    paths    $f"
    fi
    for sm in "${TARGETS[@]}"; do
        if out=$("$PTXAS" -arch="$sm" --warning-as-error --warn-on-spills --warn-on-local-memory-usage \
                -o /dev/null "$ptx" 2>&1) && [[ -z "$out" ]]; then
            echo "OK    ptxas    $f $sm"
        else
            fail "ptxas    $f $sm:"
            echo "$out" | head -n 20 | sed 's/^/      /'
        fi
    done
done

if ((failures > 0)); then
    echo "check-ptx: $failures check(s) failed"
    exit 1
fi
echo "check-ptx: all PTX current and valid for ${TARGETS[*]}"
