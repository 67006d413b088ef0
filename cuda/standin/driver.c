/*
 * libcuda.so.1 of the host stand-in: the CUDA driver functions the program calls, each decoding its arguments
 * for org.alexnetcuda.device.standin (bridge.h), which runs them on the simulator. Device pointers are the
 * simulator's addresses; streams, events, graphs, modules and the context are its handles.
 *
 * Decided here, in C, because they are about the C arguments themselves: a launch against the driver's limits
 * and the copying of kernelParams by the parameter sizes of the kernel's PTX (which cuModuleGetFunction asks
 * Java for). Every other function not listed here exists as a stub (stubs.c) that says its name and returns
 * CUDA_ERROR_NOT_SUPPORTED.
 */
#include "bridge.h"

#include <stdio.h>
#include <stdlib.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef void *CUcontext;
typedef void *CUstream;
typedef void *CUevent;
typedef void *CUgraph;
typedef void *CUgraphExec;
typedef void *CUmodule;

enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_SUPPORTED = 801,
};

/* The driver's launch limits (the same on every GPU since compute capability 3.0; CUDA programming guide, table
 * "Technical Specifications per Compute Capability"), and the shared memory a block may use without opting in
 * to more with cuFuncSetAttribute (CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES), which the program never does. */
#define MAX_THREADS_PER_BLOCK 1024u
#define MAX_BLOCK_Z 64u
#define MAX_GRID_X 2147483647u
#define MAX_GRID_YZ 65535u
#define MAX_SHARED_DEFAULT (48u * 1024u)
#define MAX_PARAMS 64

/* A CUfunction: the Java handle of the kernel and the size of each .param of its PTX entry, in order. */
struct standin_function {
    int64_t handle;
    int count;
    int sizes[MAX_PARAMS];
};

#define CALL(name, ...)                                                                                       \
    int64_t a[] = { __VA_ARGS__ };                                                                            \
    int rc = standin_call(STANDIN_DRIVER, name, a, STANDIN_COUNT(a), NULL, 0)

/* The device's name, fetched from the simulator by cuInit. JCuda calls cuDeviceGetName with the Java array
 * pinned (GetPrimitiveArrayCritical), where calling back into Java is not allowed, so it answers from here. */
static char device_name[256];

CUresult cuInit(unsigned int flags)
{
    CALL("cuInit", flags);
    if (rc == CUDA_SUCCESS && device_name[0] == '\0') {
        int64_t d[] = { 0 };
        rc = standin_call(STANDIN_DRIVER, "cuDeviceGetName", d, STANDIN_COUNT(d), device_name,
                          (int64_t) sizeof device_name);
    }
    return rc;
}

CUresult cuDriverGetVersion(int *version)
{
    if (version == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuDriverGetVersion", 0);
    if (rc == CUDA_SUCCESS) {
        *version = (int) a[0];
    }
    return rc;
}

CUresult cuDeviceGetCount(int *count)
{
    if (count == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuDeviceGetCount", 0);
    if (rc == CUDA_SUCCESS) {
        *count = (int) a[0];
    }
    return rc;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal)
{
    if (device == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuDeviceGet", ordinal);
    if (rc == CUDA_SUCCESS) {
        *device = (CUdevice) a[0];
    }
    return rc;
}

CUresult cuDeviceGetName(char *name, int len, CUdevice device)
{
    if (name == NULL || len <= 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (device_name[0] == '\0') {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (device != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    snprintf(name, (size_t) len, "%s", device_name); /* cut to len - 1 characters, as the driver does */
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice device)
{
    if (value == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuDeviceGetAttribute", attribute, device);
    if (rc == CUDA_SUCCESS) {
        *value = (int) a[0];
    }
    return rc;
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice device)
{
    if (bytes == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuDeviceTotalMem", device);
    if (rc == CUDA_SUCCESS) {
        *bytes = (size_t) a[0];
    }
    return rc;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice device)
{
    if (context == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuDevicePrimaryCtxRetain", device);
    if (rc == CUDA_SUCCESS) {
        *context = STANDIN_PTR(CUcontext, a[0]);
    }
    return rc;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device)
{
    CALL("cuDevicePrimaryCtxRelease", device);
    return rc;
}

CUresult cuCtxSetCurrent(CUcontext context)
{
    CALL("cuCtxSetCurrent", STANDIN_WORD(context));
    return rc;
}

/* ------------------------------------------------------------------ memory */

CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes)
{
    if (ptr == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuMemAlloc", (int64_t) bytes);
    if (rc == CUDA_SUCCESS) {
        *ptr = (CUdeviceptr) a[0];
    }
    return rc;
}

CUresult cuMemFree_v2(CUdeviceptr ptr)
{
    CALL("cuMemFree", (int64_t) ptr);
    return rc;
}

CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total_bytes)
{
    if (free_bytes == NULL || total_bytes == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuMemGetInfo", 0, 0);
    if (rc == CUDA_SUCCESS) {
        *free_bytes = (size_t) a[0];
        *total_bytes = (size_t) a[1];
    }
    return rc;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes, CUstream stream)
{
    if (src == NULL && bytes > 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    int64_t a[] = { (int64_t) dst, (int64_t) bytes, STANDIN_WORD(stream) };
    return standin_call(STANDIN_DRIVER, "cuMemcpyHtoDAsync", a, STANDIN_COUNT(a), (void *) src, (int64_t) bytes);
}

CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, CUstream stream)
{
    if (dst == NULL && bytes > 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    int64_t a[] = { (int64_t) src, (int64_t) bytes, STANDIN_WORD(stream) };
    return standin_call(STANDIN_DRIVER, "cuMemcpyDtoHAsync", a, STANDIN_COUNT(a), dst, (int64_t) bytes);
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream stream)
{
    CALL("cuMemcpyDtoDAsync", (int64_t) dst, (int64_t) src, (int64_t) bytes, STANDIN_WORD(stream));
    return rc;
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, CUstream stream)
{
    CALL("cuMemsetD32Async", (int64_t) dst, (int64_t) value, (int64_t) count, STANDIN_WORD(stream));
    return rc;
}

/* ------------------------------------------------------------------ streams, events, graphs */

#define CREATE(name, out, ...)                                                                                \
    if ((out) == NULL) {                                                                                      \
        return CUDA_ERROR_INVALID_VALUE;                                                                      \
    }                                                                                                         \
    CALL(name, 0, __VA_ARGS__);                                                                               \
    if (rc == CUDA_SUCCESS) {                                                                                 \
        *(out) = STANDIN_PTR(void *, a[0]);                                                                   \
    }                                                                                                         \
    return rc

CUresult cuStreamCreate(CUstream *stream, unsigned int flags)
{
    CREATE("cuStreamCreate", stream, flags);
}

CUresult cuStreamDestroy_v2(CUstream stream)
{
    CALL("cuStreamDestroy", STANDIN_WORD(stream));
    return rc;
}

CUresult cuStreamSynchronize(CUstream stream)
{
    CALL("cuStreamSynchronize", STANDIN_WORD(stream));
    return rc;
}

CUresult cuEventCreate(CUevent *event, unsigned int flags)
{
    CREATE("cuEventCreate", event, flags);
}

CUresult cuEventDestroy_v2(CUevent event)
{
    CALL("cuEventDestroy", STANDIN_WORD(event));
    return rc;
}

CUresult cuEventRecord(CUevent event, CUstream stream)
{
    CALL("cuEventRecord", STANDIN_WORD(event), STANDIN_WORD(stream));
    return rc;
}

CUresult cuEventSynchronize(CUevent event)
{
    CALL("cuEventSynchronize", STANDIN_WORD(event));
    return rc;
}

CUresult cuEventElapsedTime(float *millis, CUevent start, CUevent end)
{
    if (millis == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuEventElapsedTime", 0, STANDIN_WORD(start), STANDIN_WORD(end));
    if (rc == CUDA_SUCCESS) {
        int32_t bits = (int32_t) a[0];
        memcpy(millis, &bits, sizeof *millis);
    }
    return rc;
}

CUresult cuStreamBeginCapture_v2(CUstream stream, int mode)
{
    CALL("cuStreamBeginCapture", STANDIN_WORD(stream), mode);
    return rc;
}

CUresult cuStreamEndCapture(CUstream stream, CUgraph *graph)
{
    if (graph == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    CALL("cuStreamEndCapture", 0, STANDIN_WORD(stream));
    if (rc == CUDA_SUCCESS) {
        *graph = STANDIN_PTR(CUgraph, a[0]);
    }
    return rc;
}

CUresult cuGraphInstantiateWithFlags(CUgraphExec *exec, CUgraph graph, unsigned long long flags)
{
    CREATE("cuGraphInstantiate", exec, STANDIN_WORD(graph), (int64_t) flags);
}

CUresult cuGraphLaunch(CUgraphExec exec, CUstream stream)
{
    CALL("cuGraphLaunch", STANDIN_WORD(exec), STANDIN_WORD(stream));
    return rc;
}

CUresult cuGraphDestroy(CUgraph graph)
{
    CALL("cuGraphDestroy", STANDIN_WORD(graph));
    return rc;
}

CUresult cuGraphExecDestroy(CUgraphExec exec)
{
    CALL("cuGraphExecDestroy", STANDIN_WORD(exec));
    return rc;
}

/* ------------------------------------------------------------------ modules and launches */

/* The PTX image is NUL-terminated text; the JIT options (log buffers) are left as they are. */
CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int options, int *option_keys,
                            void **option_values)
{
    (void) options;
    (void) option_keys;
    (void) option_values;
    if (module == NULL || image == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    int64_t a[] = { 0 };
    int rc = standin_call(STANDIN_DRIVER, "cuModuleLoadDataEx", a, STANDIN_COUNT(a), (void *) image,
                          (int64_t) strlen((const char *) image));
    if (rc == CUDA_SUCCESS) {
        *module = STANDIN_PTR(CUmodule, a[0]);
    }
    return rc;
}

CUresult cuModuleLoadData(CUmodule *module, const void *image)
{
    return cuModuleLoadDataEx(module, image, 0, NULL, NULL);
}

CUresult cuModuleUnload(CUmodule module)
{
    CALL("cuModuleUnload", STANDIN_WORD(module));
    return rc;
}

/* Java answers with the kernel's handle, its parameter count and each parameter's size in bytes. */
CUresult cuModuleGetFunction(void **function, CUmodule module, const char *name)
{
    if (function == NULL || name == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    int64_t a[2 + MAX_PARAMS] = { STANDIN_WORD(module), MAX_PARAMS };
    int rc = standin_call(STANDIN_DRIVER, "cuModuleGetFunction", a, STANDIN_COUNT(a), (void *) name,
                          (int64_t) strlen(name));
    if (rc != CUDA_SUCCESS) {
        return rc;
    }
    struct standin_function *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
    }
    f->handle = a[0];
    f->count = (int) a[1];
    for (int i = 0; i < f->count && i < MAX_PARAMS; i++) {
        f->sizes[i] = (int) a[2 + i];
    }
    *function = f;
    return CUDA_SUCCESS;
}

/* Which limit a launch breaks, or NULL. */
static const char *launch_problem(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                                  unsigned shared)
{
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0) {
        return "a zero grid or block dimension";
    }
    if (bx > MAX_THREADS_PER_BLOCK || by > MAX_THREADS_PER_BLOCK || bz > MAX_BLOCK_Z
            || (unsigned long long) bx * by * bz > MAX_THREADS_PER_BLOCK) {
        return "more than 1024 threads a block (or a block dimension over its limit)";
    }
    if (gx > MAX_GRID_X || gy > MAX_GRID_YZ || gz > MAX_GRID_YZ) {
        return "a grid dimension over its limit (x 2^31 - 1, y and z 65535)";
    }
    if (shared > MAX_SHARED_DEFAULT) {
        return "more than 48 KiB of dynamic shared memory without cuFuncSetAttribute";
    }
    return NULL;
}

CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned shared, CUstream stream, void **params, void **extra)
{
    struct standin_function *f = function;
    if (f == NULL) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (extra != NULL) {
        fprintf(stderr, "alexnet-cuda host stand-in: cuLaunchKernel: the 'extra' argument form is not supported\n");
        return CUDA_ERROR_NOT_SUPPORTED;
    }
    const char *problem = launch_problem(gx, gy, gz, bx, by, bz, shared);
    if (problem != NULL) {
        fprintf(stderr, "alexnet-cuda host stand-in: cuLaunchKernel <<<(%u,%u,%u), (%u,%u,%u), %u>>>: %s\n", gx, gy,
                gz, bx, by, bz, shared, problem);
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (f->count > 0 && params == NULL) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    /* Each parameter's value, read through its pointer by the size its PTX declares, packed in order. */
    unsigned char packed[MAX_PARAMS * 8];
    size_t at = 0;
    for (int i = 0; i < f->count; i++) {
        size_t size = (size_t) f->sizes[i];
        if (params[i] == NULL || at + size > sizeof packed) {
            return CUDA_ERROR_INVALID_VALUE;
        }
        memcpy(packed + at, params[i], size);
        at += size;
    }
    int64_t a[] = { f->handle, gx, gy, gz, bx, by, bz, shared, STANDIN_WORD(stream) };
    return standin_call(STANDIN_DRIVER, "cuLaunchKernel", a, STANDIN_COUNT(a), packed, (int64_t) at);
}

/* ------------------------------------------------------------------ profiler */

CUresult cuProfilerStart(void)
{
    CALL("cuProfilerStart", 0);
    return rc;
}

CUresult cuProfilerStop(void)
{
    CALL("cuProfilerStop", 0);
    return rc;
}
