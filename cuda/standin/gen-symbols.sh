#!/bin/sh
# Regenerates the lists of functions JCuda's JNI libraries import from the CUDA libraries, one name a line,
# sorted: driver-symbols.txt (libJCudaDriver from libcuda.so.1, unversioned) and cudnn9-symbols.txt (libJCudnn
# from libcudnn.so.9, version node libcudnn.so.9). cuBLAS's list is cuda/compat/cublas12-symbols.txt (the
# forwarder's). The stand-in defines every listed name (stubs.c for those it does not implement), so no JCuda call
# can end in "symbol lookup error". StandinSymbolsTest checks the lists against the natives jars of the build.
#
# Usage: gen-symbols.sh JCUDA_NATIVES_JAR JCUDNN_NATIVES_JAR   (run in this folder)
set -eu
driver=${1:?usage: gen-symbols.sh jcuda-natives-VERSION-linux-x86_64.jar jcudnn-natives-VERSION-linux-x86_64.jar}
cudnn=${2:?usage: gen-symbols.sh jcuda-natives-VERSION-linux-x86_64.jar jcudnn-natives-VERSION-linux-x86_64.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$driver" 'lib/libJCudaDriver-*-linux-x86_64.so' -d "$tmp"
unzip -q -o "$cudnn" 'lib/libJCudnn-*-linux-x86_64.so' -d "$tmp"
# Undefined dynamic symbols: libcuda's are unversioned cu* names; libcudnn's carry @libcudnn.so.9.
readelf --dyn-syms -W "$tmp"/lib/libJCudaDriver-*.so \
    | awk '$7 == "UND" && $8 ~ /^cu[A-Z]/ && $8 !~ /@/ { print $8 }' | LC_ALL=C sort -u > driver-symbols.txt
readelf --dyn-syms -W "$tmp"/lib/libJCudnn-*.so \
    | awk '$7 == "UND" && $8 ~ /@libcudnn\.so\.9( |$)/ { sub(/@.*/, "", $8); print $8 }' \
    | LC_ALL=C sort -u > cudnn9-symbols.txt
wc -l driver-symbols.txt cudnn9-symbols.txt
