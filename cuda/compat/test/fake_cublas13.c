/*
 * A stand-in for libcublas.so.13 in the forwarder's tests: soname libcublas.so.13, version node
 * libcublas.so.13 (fake_cublas13.map), a few cuBLAS entry points with the real C signatures (pointer-typed
 * handles), each printing what it received so the test can check that arguments passed through unchanged.
 * cublasDgemm_v2 is deliberately absent: the test calls it to see the forwarder's missing-function path.
 */
#include <stddef.h>
#include <stdio.h>

static int token;

static void say(const char *line)
{
    fputs(line, stdout);
    fflush(stdout);
}

int cublasCreate_v2(void **handle)
{
    *handle = &token;
    say("fake13 cublasCreate_v2\n");
    return 0;
}

int cublasDestroy_v2(void *handle)
{
    printf("fake13 cublasDestroy_v2 own=%d\n", handle == &token);
    fflush(stdout);
    return 0;
}

int cublasGetProperty(int type, int *value)
{
    *value = type == 0 ? 13 : type == 1 ? 1 : 7;
    return 0;
}

size_t cublasGetCudartVersion(void)
{
    return 13010;
}

int cublasGetVersion_v2(void *handle, int *version)
{
    (void) handle;
    *version = 130107;
    return 0;
}

int cublasSetMathMode(void *handle, int mode)
{
    printf("fake13 cublasSetMathMode own=%d mode=%d\n", handle == &token, mode);
    fflush(stdout);
    return 0;
}

/* 14 arguments: the last eight travel on the stack, so this also checks that the stubs leave it alone. */
int cublasSgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const float *alpha,
                   const float *a, int lda, const float *b, int ldb, const float *beta, float *c, int ldc)
{
    printf("fake13 cublasSgemm_v2 own=%d transa=%d transb=%d m=%d n=%d k=%d alpha=%g a=%p lda=%d b=%p ldb=%d "
           "beta=%g c=%p ldc=%d\n", handle == &token, transa, transb, m, n, k, *alpha, (const void *) a, lda,
           (const void *) b, ldb, *beta, (void *) c, ldc);
    fflush(stdout);
    return 0;
}

/* A non-zero status comes back through the stub unchanged. */
int cublasSgemv_v2(void *handle, int trans, int m, int n, const float *alpha, const float *a, int lda,
                   const float *x, int incx, const float *beta, float *y, int incy)
{
    printf("fake13 cublasSgemv_v2 own=%d trans=%d m=%d n=%d alpha=%g lda=%d incx=%d beta=%g incy=%d\n",
           handle == &token, trans, m, n, *alpha, lda, incx, *beta, incy);
    fflush(stdout);
    (void) a; (void) x; (void) y;
    return 7; /* CUBLAS_STATUS_INVALID_VALUE */
}

const char *cublasGetStatusName(int status)
{
    return status == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "FAKE_STATUS";
}
