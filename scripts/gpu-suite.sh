#!/usr/bin/env bash
# The GPU integration suite (the JUnit 5 tests tagged gpu) without Maven, for the GPU machine, which has a Java
# runtime but no JDK or Maven: org.alexnetcuda.gpu.GpuSuite runs the test classes of target/gpu-suite/ (made by
# `mvn package`: alexnet-cuda-tests.jar and JUnit's jars in lib/) against the application jar. The same tests as
# `mvn verify -Pgpu`; without a usable GPU each is skipped with the host diagnosis as its reason.
#
#     . .device/env.sh && bash scripts/gpu-suite.sh          (device machine: carry .device and target/gpu-suite)
#     bash scripts/gpu-suite.sh org.alexnetcuda.gpu.GpuKernelsTest        (only these test classes)
#
# Settings, from the environment: JAR (ALEXNET_JAR, else target/alexnet-cuda.jar), SUITE (target/gpu-suite).
# Exit code: 0 nothing failed (skips included), 1 a test failed or none was found, 2 the suite or Java is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-${ALEXNET_JAR:-target/alexnet-cuda.jar}}
SUITE=${SUITE:-target/gpu-suite}
fail() { echo "gpu-suite: $*" >&2; exit 2; }
command -v java >/dev/null 2>&1 || fail "no java on PATH (on the GPU machine: . .device/env.sh)"
[ -f "$JAR" ] || fail "no $JAR: build it with mvn -B package -DskipTests"
[ -f "$SUITE/alexnet-cuda-tests.jar" ] && [ -d "$SUITE/lib" ] \
    || fail "no $SUITE/alexnet-cuda-tests.jar and $SUITE/lib: mvn -B package -DskipTests makes them (carry $SUITE)"
exec java -cp "$JAR:$SUITE/alexnet-cuda-tests.jar:$SUITE/lib/*" org.alexnetcuda.gpu.GpuSuite "$@"
