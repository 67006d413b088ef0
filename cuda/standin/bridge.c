/*
 * JNI upcalls from the stand-in libraries into org.alexnetcuda.device.standin.StandinBridge (see bridge.h).
 *
 * The JVM is found with JNI_GetCreatedJavaVMs, looked up in the process (the JVM is already loaded: the stand-in
 * is loaded by the program, or by the dynamic linker for JCuda's JNI libraries). The class is looked up on first
 * use, from the calling thread, whose JNI environment resolves names with the class loader of the Java method
 * that called into native code (a JCuda class, loaded with the program), and kept as a global reference.
 */
#include "bridge.h"

#include <dlfcn.h>
#include <jni.h>
#include <pthread.h>
#include <stdio.h>

#define BRIDGE_CLASS "org/alexnetcuda/device/standin/StandinBridge"
#define BRIDGE_SIGNATURE "(ILjava/lang/String;[JLjava/nio/ByteBuffer;)I"

/* What each library answers when Java cannot be reached, and when the Java side fails (not a CUDA status). */
static const int NOT_INITIALIZED[] = { 3 /* CUDA_ERROR_NOT_INITIALIZED */, 1 /* CUBLAS_STATUS_NOT_INITIALIZED */,
                                       1001 /* CUDNN_STATUS_NOT_INITIALIZED */ };
static const int INTERNAL_ERROR[] = { 999 /* CUDA_ERROR_UNKNOWN */, 14 /* CUBLAS_STATUS_INTERNAL_ERROR */,
                                      4000 /* CUDNN_STATUS_INTERNAL_ERROR */ };

static JavaVM *vm;
static jclass bridge;
static jmethodID call;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

/* The JNI environment of the calling thread, attaching it if it is not a Java thread; NULL with a reason. */
static JNIEnv *environment(const char **why)
{
    if (vm == NULL) {
        created_vms_fn created = (created_vms_fn) dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
        jsize n = 0;
        if (created == NULL || created(&vm, 1, &n) != JNI_OK || n < 1) {
            vm = NULL;
            *why = "no Java virtual machine in this process (the host stand-in runs under the alexnet-cuda program)";
            return NULL;
        }
    }
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) == JNI_EDETACHED
            && (*vm)->AttachCurrentThreadAsDaemon(vm, (void **) &env, NULL) != JNI_OK) {
        *why = "this thread could not be attached to the Java virtual machine";
        return NULL;
    }
    return env;
}

static int resolve(JNIEnv *env, const char **why)
{
    if (call != NULL) {
        return 1;
    }
    jclass local = (*env)->FindClass(env, BRIDGE_CLASS);
    if (local == NULL) {
        (*env)->ExceptionClear(env);
        *why = "class " BRIDGE_CLASS " not found (the stand-in serves the alexnet-cuda program only)";
        return 0;
    }
    jmethodID m = (*env)->GetStaticMethodID(env, local, "call", BRIDGE_SIGNATURE);
    if (m == NULL) {
        (*env)->ExceptionClear(env);
        *why = BRIDGE_CLASS ".call" BRIDGE_SIGNATURE " not found (a stand-in of another version?)";
        return 0;
    }
    bridge = (jclass) (*env)->NewGlobalRef(env, local);
    call = m;
    (*env)->DeleteLocalRef(env, local);
    return 1;
}

static void say_once(const char *function, const char *why)
{
    static int said;
    if (!said) {
        said = 1;
        fprintf(stderr, "alexnet-cuda host stand-in: %s: %s\n", function, why);
    }
}

int standin_call(int library, const char *function, int64_t *args, int count, void *host, int64_t host_bytes)
{
    const char *why = NULL;
    pthread_mutex_lock(&lock);
    JNIEnv *env = environment(&why);
    int ready = env != NULL && resolve(env, &why);
    pthread_mutex_unlock(&lock);
    if (!ready) {
        say_once(function, why);
        return NOT_INITIALIZED[library];
    }
    if ((*env)->PushLocalFrame(env, 8) != JNI_OK) {
        (*env)->ExceptionClear(env);
        return INTERNAL_ERROR[library];
    }
    jstring name = (*env)->NewStringUTF(env, function);
    jlongArray words = (*env)->NewLongArray(env, count);
    jobject buffer = NULL;
    if (name != NULL && words != NULL && count > 0) {
        (*env)->SetLongArrayRegion(env, words, 0, count, (const jlong *) args);
    }
    if (host != NULL && !(*env)->ExceptionCheck(env)) {
        buffer = (*env)->NewDirectByteBuffer(env, host, (jlong) host_bytes);
    }
    int status = INTERNAL_ERROR[library];
    if (!(*env)->ExceptionCheck(env)) {
        status = (*env)->CallStaticIntMethod(env, bridge, call, (jint) library, name, words, buffer);
    }
    if ((*env)->ExceptionCheck(env)) {
        fprintf(stderr, "alexnet-cuda host stand-in: %s: the Java side failed:\n", function);
        (*env)->ExceptionDescribe(env);
        (*env)->ExceptionClear(env);
        status = INTERNAL_ERROR[library];
    } else if (count > 0) {
        (*env)->GetLongArrayRegion(env, words, 0, count, (jlong *) args);
    }
    (*env)->PopLocalFrame(env, NULL);
    return status;
}
