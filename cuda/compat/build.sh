#!/bin/sh
# Builds the libcublas.so.12 -> libcublas.so.13 forwarder into DEST (Maven passes target/classes/native/linux-x86_64,
# so it ships in the jar). Where it cannot be built (no gcc or make, not x86-64 Linux) it says so and succeeds:
# the jar then runs on CUDA 12 hosts only, and `device` says why a CUDA-13-only host is refused.
#
# Usage: build.sh WORKDIR DEST
set -eu
work=${1:?usage: build.sh WORKDIR DEST}
dest=${2:?usage: build.sh WORKDIR DEST}
here=$(cd "$(dirname "$0")" && pwd)

skip() {
    echo "[WARNING] cuBLAS 13 forwarder not built: $1. This jar will need cuBLAS 12 on the GPU host;" \
         "install gcc and make and rebuild to support CUDA-13-only hosts."
    exit 0
}

[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] || skip "this is not x86-64 Linux"
command -v make >/dev/null 2>&1 || skip "make not found"
command -v gcc >/dev/null 2>&1 || skip "gcc not found"

make -s -C "$here" OUT="$work" CC=gcc
mkdir -p "$dest"
cp "$work/libcublas12to13.so" "$dest/libcublas12to13.so"
echo "[INFO] cuBLAS 13 forwarder: $dest/libcublas12to13.so"
