#!/bin/sh
# Regenerates cublas12-symbols.txt: every function that JCublas2's native library imports from
# libcublas.so.12 (version node "libcublas.so.12"), one name a line, sorted. The forwarder
# (forward.c) defines exactly these names, so libJCublas2 finds all of them in it.
#
# Usage: gen-symbols.sh JCUBLAS_NATIVES_JAR > cublas12-symbols.txt
# The jar is org.jcuda:jcublas-natives:<version>:jar:linux-x86_64 (in ~/.m2 after a Maven build).
set -eu
jar=${1:?usage: gen-symbols.sh jcublas-natives-VERSION-linux-x86_64.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$jar" 'lib/libJCublas2-*-linux-x86_64.so' -d "$tmp"
# readelf prints undefined dynamic symbols as NAME@VERSION; keep the libcublas.so.12 ones.
readelf --dyn-syms -W "$tmp"/lib/libJCublas2-*-linux-x86_64.so \
    | awk '$7 == "UND" && $8 ~ /@libcublas\.so\.12( |$)/ { sub(/@.*/, "", $8); print $8 }' \
    | LC_ALL=C sort -u
