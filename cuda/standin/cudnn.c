/*
 * libcudnn.so.9 of the host stand-in: the cuDNN functions the program calls, decoded for
 * org.alexnetcuda.device.standin (bridge.h), which runs them on the simulator. Descriptors and the handle are
 * Java handles; alpha and beta are read here as host floats (cuDNN's scaling factors for FLOAT, HALF and BFLOAT16
 * data); algorithm lists are written here into the caller's perf structs, as cuDNN 9 lays them out.
 */
#include "bridge.h"

#ifndef STANDIN_CUDART
#error "STANDIN_CUDART (the CUDA version this cuDNN is built for, e.g. 12060) must be defined"
#endif

typedef int cudnnStatus_t;
typedef void *handle_t;

enum {
    CUDNN_STATUS_SUCCESS = 0,
    CUDNN_STATUS_BAD_PARAM = 2000,
    CUDNN_STATUS_BAD_PARAM_NULL_POINTER = 2002,
};

/* cudnnConvolution{Fwd,BwdData,BwdFilter}AlgoPerf_t of cuDNN 8 and 9 (cudnn_cnn.h): the three have this layout. */
typedef struct {
    int algo;
    cudnnStatus_t status;
    float time;
    size_t memory;
    int determinism;
    int mathType;
    int reserved[3];
} standin_algo_perf;

/* cuDNN 9.5.0, the release JCudnn 12.6.0's natives were built against. */
#define STANDIN_CUDNN_VERSION 90500

#define CALL(name, ...)                                                                                       \
    int64_t a[] = { __VA_ARGS__ };                                                                            \
    int rc = standin_call(STANDIN_CUDNN, name, a, STANDIN_COUNT(a), NULL, 0)

#define W(p) STANDIN_WORD(p)
#define F(p) standin_f32(*(const float *) (p))
#define NONNULL(...)                                                                                          \
    do {                                                                                                      \
        const void *ps[] = { __VA_ARGS__ };                                                                   \
        for (int i = 0; i < STANDIN_COUNT(ps); i++) {                                                         \
            if (ps[i] == NULL) {                                                                              \
                return CUDNN_STATUS_BAD_PARAM_NULL_POINTER;                                                   \
            }                                                                                                 \
        }                                                                                                     \
    } while (0)

size_t cudnnGetVersion(void)
{
    return STANDIN_CUDNN_VERSION;
}

size_t cudnnGetCudartVersion(void)
{
    return STANDIN_CUDART;
}

const char *cudnnGetErrorString(cudnnStatus_t status)
{
    switch (status) {
    case 0: return "CUDNN_STATUS_SUCCESS";
    case 1001: return "CUDNN_STATUS_NOT_INITIALIZED";
    case 2000: return "CUDNN_STATUS_BAD_PARAM";
    case 2002: return "CUDNN_STATUS_BAD_PARAM_NULL_POINTER";
    case 3000: return "CUDNN_STATUS_NOT_SUPPORTED";
    case 4000: return "CUDNN_STATUS_INTERNAL_ERROR";
    case 5000: return "CUDNN_STATUS_EXECUTION_FAILED";
    default: return "CUDNN_STATUS_UNKNOWN (host stand-in)";
    }
}

cudnnStatus_t cudnnCreate(handle_t *handle)
{
    NONNULL(handle);
    CALL("cudnnCreate", 0);
    if (rc == CUDNN_STATUS_SUCCESS) {
        *handle = STANDIN_PTR(handle_t, a[0]);
    }
    return rc;
}

cudnnStatus_t cudnnDestroy(handle_t handle)
{
    CALL("cudnnDestroy", W(handle));
    return rc;
}

cudnnStatus_t cudnnSetStream(handle_t handle, void *stream)
{
    CALL("cudnnSetStream", W(handle), W(stream));
    return rc;
}

/* ------------------------------------------------------------------ descriptors */

#define CREATE_DESCRIPTOR(name)                                                                               \
    cudnnStatus_t cudnnCreate##name##Descriptor(handle_t *d)                                                  \
    {                                                                                                         \
        NONNULL(d);                                                                                           \
        CALL("cudnnCreate" #name "Descriptor", 0);                                                            \
        if (rc == CUDNN_STATUS_SUCCESS) {                                                                     \
            *d = STANDIN_PTR(handle_t, a[0]);                                                                 \
        }                                                                                                     \
        return rc;                                                                                            \
    }                                                                                                         \
    cudnnStatus_t cudnnDestroy##name##Descriptor(handle_t d)                                                  \
    {                                                                                                         \
        CALL("cudnnDestroy" #name "Descriptor", W(d));                                                        \
        return rc;                                                                                            \
    }

CREATE_DESCRIPTOR(Tensor)
CREATE_DESCRIPTOR(Filter)
CREATE_DESCRIPTOR(Convolution)
CREATE_DESCRIPTOR(Pooling)
CREATE_DESCRIPTOR(LRN)

cudnnStatus_t cudnnSetTensor4dDescriptor(handle_t d, int format, int type, int n, int c, int h, int w)
{
    CALL("cudnnSetTensor4dDescriptor", W(d), format, type, n, c, h, w);
    return rc;
}

cudnnStatus_t cudnnSetFilter4dDescriptor(handle_t d, int type, int format, int k, int c, int h, int w)
{
    CALL("cudnnSetFilter4dDescriptor", W(d), type, format, k, c, h, w);
    return rc;
}

cudnnStatus_t cudnnSetConvolution2dDescriptor(handle_t d, int padH, int padW, int u, int v, int dilationH,
                                              int dilationW, int mode, int computeType)
{
    CALL("cudnnSetConvolution2dDescriptor", W(d), padH, padW, u, v, dilationH, dilationW, mode, computeType);
    return rc;
}

cudnnStatus_t cudnnSetConvolutionMathType(handle_t d, int mathType)
{
    CALL("cudnnSetConvolutionMathType", W(d), mathType);
    return rc;
}

cudnnStatus_t cudnnSetPooling2dDescriptor(handle_t d, int mode, int nan, int windowH, int windowW, int padH,
                                          int padW, int strideH, int strideW)
{
    CALL("cudnnSetPooling2dDescriptor", W(d), mode, nan, windowH, windowW, padH, padW, strideH, strideW);
    return rc;
}

cudnnStatus_t cudnnSetLRNDescriptor(handle_t d, unsigned n, double alpha, double beta, double k)
{
    CALL("cudnnSetLRNDescriptor", W(d), n, standin_f64(alpha), standin_f64(beta), standin_f64(k));
    return rc;
}

/* ------------------------------------------------------------------ queries */

#define DIMS_OUT(n, c, h, w)                                                                                  \
    if (rc == CUDNN_STATUS_SUCCESS) {                                                                         \
        *(n) = (int) a[0];                                                                                    \
        *(c) = (int) a[1];                                                                                    \
        *(h) = (int) a[2];                                                                                    \
        *(w) = (int) a[3];                                                                                    \
    }                                                                                                         \
    return rc

cudnnStatus_t cudnnGetConvolution2dForwardOutputDim(handle_t conv, handle_t x, handle_t w, int *n, int *c, int *h,
                                                    int *wd)
{
    NONNULL(n, c, h, wd);
    CALL("cudnnGetConvolution2dForwardOutputDim", 0, 0, 0, 0, W(conv), W(x), W(w));
    DIMS_OUT(n, c, h, wd);
}

cudnnStatus_t cudnnGetPooling2dForwardOutputDim(handle_t pool, handle_t x, int *n, int *c, int *h, int *w)
{
    NONNULL(n, c, h, w);
    CALL("cudnnGetPooling2dForwardOutputDim", 0, 0, 0, 0, W(pool), W(x));
    DIMS_OUT(n, c, h, w);
}

#define MAX_COUNT(pass)                                                                                       \
    cudnnStatus_t cudnnGetConvolution##pass##AlgorithmMaxCount(handle_t handle, int *count)                   \
    {                                                                                                         \
        NONNULL(count);                                                                                       \
        CALL("cudnnGetConvolution" #pass "AlgorithmMaxCount", 0, W(handle));                                  \
        if (rc == CUDNN_STATUS_SUCCESS) {                                                                     \
            *count = (int) a[0];                                                                              \
        }                                                                                                     \
        return rc;                                                                                            \
    }

MAX_COUNT(Forward)
MAX_COUNT(BackwardData)
MAX_COUNT(BackwardFilter)

/*
 * The algorithm lists: Java answers with the count, then six words per entry (algo, status, time bits, memory,
 * determinism, math type), which are written into the caller's array of perf structs.
 */
#define LIST_WORDS 6
#define MAX_LIST 16

static cudnnStatus_t algorithms(const char *name, handle_t handle, handle_t d0, handle_t d1, handle_t conv,
                                handle_t d3, int requested, int *returned, standin_algo_perf *perf)
{
    NONNULL(returned, perf);
    if (requested <= 0) {
        return CUDNN_STATUS_BAD_PARAM;
    }
    int64_t a[6 + MAX_LIST * LIST_WORDS] = { W(handle), W(d0), W(d1), W(conv), W(d3),
                                             requested < MAX_LIST ? requested : MAX_LIST };
    int rc = standin_call(STANDIN_CUDNN, name, a, STANDIN_COUNT(a), NULL, 0);
    if (rc != CUDNN_STATUS_SUCCESS) {
        return rc;
    }
    int n = (int) a[0];
    for (int i = 0; i < n; i++) {
        const int64_t *e = a + 6 + i * LIST_WORDS;
        memset(&perf[i], 0, sizeof perf[i]);
        perf[i].algo = (int) e[0];
        perf[i].status = (int) e[1];
        int32_t bits = (int32_t) e[2];
        memcpy(&perf[i].time, &bits, sizeof bits);
        perf[i].memory = (size_t) e[3];
        perf[i].determinism = (int) e[4];
        perf[i].mathType = (int) e[5];
    }
    *returned = n;
    return rc;
}

#define ALGORITHMS(function)                                                                                  \
    cudnnStatus_t function(handle_t handle, handle_t d0, handle_t d1, handle_t conv, handle_t d3,             \
                           int requested, int *returned, standin_algo_perf *perf)                             \
    {                                                                                                         \
        return algorithms(#function, handle, d0, d1, conv, d3, requested, returned, perf);                   \
    }

ALGORITHMS(cudnnGetConvolutionForwardAlgorithm_v7)
ALGORITHMS(cudnnGetConvolutionBackwardDataAlgorithm_v7)
ALGORITHMS(cudnnGetConvolutionBackwardFilterAlgorithm_v7)
ALGORITHMS(cudnnFindConvolutionForwardAlgorithm)
ALGORITHMS(cudnnFindConvolutionBackwardDataAlgorithm)
ALGORITHMS(cudnnFindConvolutionBackwardFilterAlgorithm)

#define WORKSPACE(pass)                                                                                       \
    cudnnStatus_t cudnnGetConvolution##pass##WorkspaceSize(handle_t handle, handle_t d0, handle_t d1,         \
                                                            handle_t conv, handle_t d3, int algo, size_t *bytes) \
    {                                                                                                         \
        NONNULL(bytes);                                                                                       \
        CALL("cudnnGetConvolution" #pass "WorkspaceSize", 0, W(handle), W(d0), W(d1), W(conv), W(d3), algo);  \
        if (rc == CUDNN_STATUS_SUCCESS) {                                                                     \
            *bytes = (size_t) a[0];                                                                           \
        }                                                                                                     \
        return rc;                                                                                            \
    }

WORKSPACE(Forward)
WORKSPACE(BackwardData)
WORKSPACE(BackwardFilter)

/* ------------------------------------------------------------------ compute */

cudnnStatus_t cudnnConvolutionForward(handle_t handle, const void *alpha, handle_t xDesc, const void *x,
                                      handle_t wDesc, const void *w, handle_t conv, int algo, void *workspace,
                                      size_t workspaceBytes, const void *beta, handle_t yDesc, void *y)
{
    NONNULL(alpha, beta);
    CALL("cudnnConvolutionForward", W(handle), F(alpha), W(xDesc), W(x), W(wDesc), W(w), W(conv), algo,
         W(workspace), (int64_t) workspaceBytes, F(beta), W(yDesc), W(y));
    return rc;
}

cudnnStatus_t cudnnConvolutionBackwardData(handle_t handle, const void *alpha, handle_t wDesc, const void *w,
                                           handle_t dyDesc, const void *dy, handle_t conv, int algo,
                                           void *workspace, size_t workspaceBytes, const void *beta,
                                           handle_t dxDesc, void *dx)
{
    NONNULL(alpha, beta);
    CALL("cudnnConvolutionBackwardData", W(handle), F(alpha), W(wDesc), W(w), W(dyDesc), W(dy), W(conv), algo,
         W(workspace), (int64_t) workspaceBytes, F(beta), W(dxDesc), W(dx));
    return rc;
}

cudnnStatus_t cudnnConvolutionBackwardFilter(handle_t handle, const void *alpha, handle_t xDesc, const void *x,
                                             handle_t dyDesc, const void *dy, handle_t conv, int algo,
                                             void *workspace, size_t workspaceBytes, const void *beta,
                                             handle_t dwDesc, void *dw)
{
    NONNULL(alpha, beta);
    CALL("cudnnConvolutionBackwardFilter", W(handle), F(alpha), W(xDesc), W(x), W(dyDesc), W(dy), W(conv), algo,
         W(workspace), (int64_t) workspaceBytes, F(beta), W(dwDesc), W(dw));
    return rc;
}

cudnnStatus_t cudnnConvolutionBackwardBias(handle_t handle, const void *alpha, handle_t dyDesc, const void *dy,
                                           const void *beta, handle_t dbDesc, void *db)
{
    NONNULL(alpha, beta);
    CALL("cudnnConvolutionBackwardBias", W(handle), F(alpha), W(dyDesc), W(dy), F(beta), W(dbDesc), W(db));
    return rc;
}

cudnnStatus_t cudnnAddTensor(handle_t handle, const void *alpha, handle_t aDesc, const void *A, const void *beta,
                             handle_t cDesc, void *C)
{
    NONNULL(alpha, beta);
    CALL("cudnnAddTensor", W(handle), F(alpha), W(aDesc), W(A), F(beta), W(cDesc), W(C));
    return rc;
}

cudnnStatus_t cudnnPoolingForward(handle_t handle, handle_t pool, const void *alpha, handle_t xDesc, const void *x,
                                  const void *beta, handle_t yDesc, void *y)
{
    NONNULL(alpha, beta);
    CALL("cudnnPoolingForward", W(handle), W(pool), F(alpha), W(xDesc), W(x), F(beta), W(yDesc), W(y));
    return rc;
}

cudnnStatus_t cudnnPoolingBackward(handle_t handle, handle_t pool, const void *alpha, handle_t yDesc,
                                   const void *y, handle_t dyDesc, const void *dy, handle_t xDesc, const void *x,
                                   const void *beta, handle_t dxDesc, void *dx)
{
    NONNULL(alpha, beta);
    CALL("cudnnPoolingBackward", W(handle), W(pool), F(alpha), W(yDesc), W(y), W(dyDesc), W(dy), W(xDesc), W(x),
         F(beta), W(dxDesc), W(dx));
    return rc;
}

cudnnStatus_t cudnnLRNCrossChannelForward(handle_t handle, handle_t lrn, int mode, const void *alpha,
                                          handle_t xDesc, const void *x, const void *beta, handle_t yDesc, void *y)
{
    NONNULL(alpha, beta);
    CALL("cudnnLRNCrossChannelForward", W(handle), W(lrn), mode, F(alpha), W(xDesc), W(x), F(beta), W(yDesc),
         W(y));
    return rc;
}

cudnnStatus_t cudnnLRNCrossChannelBackward(handle_t handle, handle_t lrn, int mode, const void *alpha,
                                           handle_t yDesc, const void *y, handle_t dyDesc, const void *dy,
                                           handle_t xDesc, const void *x, const void *beta, handle_t dxDesc,
                                           void *dx)
{
    NONNULL(alpha, beta);
    CALL("cudnnLRNCrossChannelBackward", W(handle), W(lrn), mode, F(alpha), W(yDesc), W(y), W(dyDesc), W(dy),
         W(xDesc), W(x), F(beta), W(dxDesc), W(dx));
    return rc;
}
