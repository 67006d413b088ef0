/*
 * Plays libJCublas2 in the forwarder's test: linked against the forwarder, so it has NEEDED libcublas.so.12
 * and imports cublas*@libcublas.so.12, exactly the dependency JCublas2's native library has.
 */
#include <stdio.h>

int cublasCreate_v2(void **handle);
int cublasDestroy_v2(void *handle);
int cublasSetMathMode(void *handle, int mode);
int cublasSgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const float *alpha,
                   const float *a, int lda, const float *b, int ldb, const float *beta, float *c, int ldc);
int cublasSgemv_v2(void *handle, int trans, int m, int n, const float *alpha, const float *a, int lda,
                   const float *x, int incx, const float *beta, float *y, int incy);
int cublasDgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const double *alpha,
                   const double *a, int lda, const double *b, int ldb, const double *beta, double *c, int ldc);

int consumer_run(void)
{
    void *h = NULL;
    float alpha = 1.5f, beta = 0.25f;
    int rc = cublasCreate_v2(&h);
    rc |= cublasSetMathMode(h, 3);
    rc |= cublasSgemm_v2(h, 1, 0, 2, 3, 4, &alpha, (const float *) 0x1000, 5, (const float *) 0x2000, 6, &beta,
                         (float *) 0x3000, 7);
    int gemv = cublasSgemv_v2(h, 0, 8, 9, &alpha, NULL, 10, NULL, 1, &beta, NULL, 1);
    printf("consumer sgemv status=%d\n", gemv);
    rc |= cublasDestroy_v2(h);
    printf("consumer done rc=%d\n", rc);
    fflush(stdout);
    return rc;
}

int consumer_missing(void)
{
    double one = 1.0;
    return cublasDgemm_v2(NULL, 0, 0, 1, 1, 1, &one, NULL, 1, NULL, 1, &one, NULL, 1);
}
