#!/bin/sh
# Builds libalexnet-nvtx.so, the JNI glue of org.alexnetcuda.profile.Nvtx (see nvtx_jni.c), into DEST (Maven
# passes target/classes/native/linux-x86_64, so it ships in the jar). It needs gcc, the JDK's JNI headers and the
# header-only NVTX 3 (nvtx3/nvToolsExt.h, part of every CUDA toolkit). Where one is missing it says so and
# succeeds: the jar then runs without NVTX ranges (--nvtx and --profile-steps say the ranges are off).
#
# Usage: build.sh WORKDIR DEST [JAVA_HOME]
# NVTX_INCLUDE names a folder holding nvtx3/ when it is not under CUDA_HOME, CUDA_PATH or /usr/local/cuda.
set -eu
work=${1:?usage: build.sh WORKDIR DEST [JAVA_HOME]}
dest=${2:?usage: build.sh WORKDIR DEST [JAVA_HOME]}
jdk=${3:-${JAVA_HOME:-}}
here=$(cd "$(dirname "$0")" && pwd)

skip() {
    echo "[WARNING] NVTX library not built: $1. The jar works, but profiles will have no NVTX ranges;" \
         "install it and rebuild to get them."
    exit 0
}

[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] || skip "this is not x86-64 Linux"
command -v gcc >/dev/null 2>&1 || skip "gcc not found"

. "$here/../jni-include.sh"
jni=$(jni_include "$jdk")
[ -n "$jni" ] || skip "the JDK's include/jni.h was not found (a JRE has none)"

nvtx=""
for d in "${NVTX_INCLUDE:-}" "${CUDA_HOME:+$CUDA_HOME/include}" "${CUDA_PATH:+$CUDA_PATH/include}" \
         /usr/local/cuda/include /usr/include /opt/cuda/include; do
    if [ -n "$d" ] && [ -f "$d/nvtx3/nvToolsExt.h" ]; then
        nvtx=$d
        break
    fi
done
[ -n "$nvtx" ] || skip "nvtx3/nvToolsExt.h was not found (set NVTX_INCLUDE, or install the CUDA toolkit's headers)"

mkdir -p "$work" "$dest"
# -U_FORTIFY_SOURCE keeps __*_chk symbols of newer glibc versions out of the imports (as for the forwarder).
gcc -O2 -std=gnu11 -fPIC -shared -fvisibility=hidden -Wall -Wextra -U_FORTIFY_SOURCE \
    -I"$jni" -I"$jni/linux" -I"$nvtx" -o "$work/libalexnet-nvtx.so" "$here/nvtx_jni.c" \
    -Wl,-z,noexecstack -Wl,--no-as-needed -l:libdl.so.2
cp "$work/libalexnet-nvtx.so" "$dest/libalexnet-nvtx.so"
echo "[INFO] NVTX library: $dest/libalexnet-nvtx.so (headers from $nvtx)"
