#!/usr/bin/env bash
# CI hook for the native kernels, called from .ci/run:
#   1. check-ptx.sh: the committed PTX is current and ptxas accepts it for every target GPU
#      (skipped, with the reason, where the CUDA toolkit is absent);
#   2. the host build of the same kernels (build/kernel-runner), which the Java kernel tests drive
#      (skipped, with the reason, where make or a C++ compiler is absent; those tests then skip too).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

./check-ptx.sh

cxx=${CXX:-g++}
if ! command -v make >/dev/null 2>&1 || ! command -v "$cxx" >/dev/null 2>&1; then
    echo "ci: SKIP host build: make or $cxx not found"
    exit 0
fi
make -s --no-print-directory host
kernels=$(./build/kernel-runner list | wc -l)
echo "OK    host     build/kernel-runner ($kernels kernels)"
