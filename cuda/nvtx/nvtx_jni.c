/*
 * NVTX ranges and marks for the JVM: the native half of org.alexnetcuda.profile.Nvtx.
 *
 * Why a library of our own: JCuda does not bind NVTX, and NVTX 3 is header-only, so its implementation is
 * compiled into whatever calls it. Until a tool (Nsight Systems, Nsight Compute) injects itself through the
 * NVTX_INJECTION64_PATH environment variable, the first call finds none and every call after that is a no-op
 * returning NVTX_NO_PUSH_POP_TRACKING; so the library is harmless when nothing profiles the process, and the
 * Java side calls it only when profiling was asked for anyway.
 *
 * Names arrive as Java strings; GetStringUTFChars gives modified UTF-8, which equals UTF-8 for the ASCII names
 * the engine uses. Built by build.sh beside this file.
 */
#include <jni.h>

/*
 * NVTX's loader calls dlopen/dlsym/dlclose. Bind them to their oldest x86-64 versions, so that a build on a new
 * glibc (where they moved into libc as GLIBC_2.34) still loads on older hosts; libdl.so.2 is linked for those.
 */
__asm__(".symver dlopen,dlopen@GLIBC_2.2.5");
__asm__(".symver dlsym,dlsym@GLIBC_2.2.5");
__asm__(".symver dlclose,dlclose@GLIBC_2.2.5");
__asm__(".symver dlerror,dlerror@GLIBC_2.2.5");

#include <nvtx3/nvToolsExt.h>

/* nvtxRangePushA: the nesting level of the new range, or a negative value (no tool attached: -2). */
JNIEXPORT jint JNICALL Java_org_alexnetcuda_profile_Nvtx_push0(JNIEnv *env, jclass cls, jstring name)
{
    (void) cls;
    const char *s = (*env)->GetStringUTFChars(env, name, NULL);
    if (s == NULL) {
        return -3; /* OutOfMemoryError is pending in the JVM */
    }
    int level = nvtxRangePushA(s);
    (*env)->ReleaseStringUTFChars(env, name, s);
    return level;
}

/* nvtxRangePop: the level of the range that ended, or a negative value. */
JNIEXPORT jint JNICALL Java_org_alexnetcuda_profile_Nvtx_pop0(JNIEnv *env, jclass cls)
{
    (void) env;
    (void) cls;
    return nvtxRangePop();
}

/* nvtxMarkA: an instant event. */
JNIEXPORT void JNICALL Java_org_alexnetcuda_profile_Nvtx_mark0(JNIEnv *env, jclass cls, jstring name)
{
    (void) cls;
    const char *s = (*env)->GetStringUTFChars(env, name, NULL);
    if (s == NULL) {
        return;
    }
    nvtxMarkA(s);
    (*env)->ReleaseStringUTFChars(env, name, s);
}
