#!/bin/sh
# Builds the host stand-in (see Makefile) into OUT/standin and OUT/standin-cuda13. Maven passes OUT = target.
# Where it cannot be built (no gcc or make, no JDK headers, not x86-64 Linux) it says so and succeeds: the tests
# that need the stand-in then skip with that reason.
#
# Usage: build.sh OUT [JAVA_HOME]
set -eu
out=${1:?usage: build.sh OUT [JAVA_HOME]}
jdk=${2:-${JAVA_HOME:-}}
here=$(cd "$(dirname "$0")" && pwd)

skip() {
    mkdir -p "$out"
    echo "$1" > "$out/standin-not-built.txt"
    echo "[WARNING] host stand-in not built: $1. The tests that run the JCuda path without a GPU will skip."
    exit 0
}

[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] || skip "this is not x86-64 Linux"
command -v make >/dev/null 2>&1 || skip "make not found"
command -v gcc >/dev/null 2>&1 || skip "gcc not found"
. "$here/../jni-include.sh"
jni=$(jni_include "$jdk")
[ -n "$jni" ] || skip "the JDK's include/jni.h was not found (a JRE has none)"

rm -f "$out/standin-not-built.txt"
make -s -C "$here" OUT="$out" CC=gcc JNI_INCLUDE="$jni"
echo "[INFO] host stand-in: $out/standin (CUDA 12 layout), $out/standin-cuda13 (CUDA 13 layout)"
