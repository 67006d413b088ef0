# Sourced by the native build scripts that compile JNI code (cuda/nvtx, cuda/standin).
# jni_include [JDK...]: prints the include folder of the first JDK (of those named, then JAVA_HOME, then the one of
# javac on the PATH) that has jni.h and linux/jni_md.h; prints nothing if none has (a JRE has no headers).
jni_include() {
    javac_jdk=""
    if j=$(command -v javac 2>/dev/null); then
        javac_jdk=$(dirname "$(dirname "$(readlink -f "$j")")")
    fi
    for d in "$@" "${JAVA_HOME:-}" "$javac_jdk"; do
        if [ -n "$d" ] && [ -f "$d/include/jni.h" ] && [ -f "$d/include/linux/jni_md.h" ]; then
            echo "$d/include"
            return 0
        fi
    done
}
