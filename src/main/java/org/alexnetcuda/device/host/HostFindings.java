package org.alexnetcuda.device.host;

import java.util.List;

/**
 * What was found on this host, the input of {@link HostCheck}. Plain values, so the diagnosis can be tested
 * with made-up hosts.
 *
 * @param driverBindingProblem null, or why JCuda's driver binding did not load (no libcuda.so.1, ...)
 * @param cuInitError          null, or the CUresult name cuInit returned
 * @param driverCuda           the driver's CUDA version (cuDriverGetVersion), 0 when unknown
 * @param gpuCount             devices the driver reports
 * @param requiredPtxIsa       the newest PTX ISA among the shipped kernel modules ("8.0"), null when none ship
 * @param cublasRoute          how JCublas2 reaches cuBLAS
 * @param cublas13Found        libcublas.so.13 exists on the host
 * @param forwarderPackaged    this jar carries the libcublas.so.12 forwarder
 * @param cudnnFound           libcudnn.so.9 exists on the host
 * @param cudnnCuda            the CUDA version cuDNN was built for (cudnnGetCudartVersion), 0 when not known yet
 * @param loadFailures         libraries found but not loadable, one line each
 * @param searched             where libraries were searched, for the fix hint
 */
public record HostFindings(String driverBindingProblem, String cuInitError, int driverCuda, int gpuCount,
                           String requiredPtxIsa, CublasRoute cublasRoute, boolean cublas13Found,
                           boolean forwarderPackaged, boolean cudnnFound, int cudnnCuda, List<String> loadFailures,
                           String searched) {

    /** A host with everything in place (CUDA 12.4 driver, cuBLAS 12, cuDNN 9): a base for tests to vary. */
    public static HostFindings healthy() {
        return new HostFindings(null, null, 12040, 1, "8.0", CublasRoute.CUBLAS_12, false, true, true, 0,
                List.of(), "(search path)");
    }

    public HostFindings withDriver(String bindingProblem, String cuInit, int cuda, int gpus) {
        return new HostFindings(bindingProblem, cuInit, cuda, gpus, requiredPtxIsa, cublasRoute, cublas13Found,
                forwarderPackaged, cudnnFound, cudnnCuda, loadFailures, searched);
    }

    public HostFindings withPtx(String isa) {
        return new HostFindings(driverBindingProblem, cuInitError, driverCuda, gpuCount, isa, cublasRoute,
                cublas13Found, forwarderPackaged, cudnnFound, cudnnCuda, loadFailures, searched);
    }

    public HostFindings withCublas(CublasRoute route, boolean found13, boolean packaged) {
        return new HostFindings(driverBindingProblem, cuInitError, driverCuda, gpuCount, requiredPtxIsa, route,
                found13, packaged, cudnnFound, cudnnCuda, loadFailures, searched);
    }

    public HostFindings withCudnn(boolean found, int builtForCuda) {
        return new HostFindings(driverBindingProblem, cuInitError, driverCuda, gpuCount, requiredPtxIsa,
                cublasRoute, cublas13Found, forwarderPackaged, found, builtForCuda, loadFailures, searched);
    }

    public HostFindings withLoadFailures(List<String> failures) {
        return new HostFindings(driverBindingProblem, cuInitError, driverCuda, gpuCount, requiredPtxIsa,
                cublasRoute, cublas13Found, forwarderPackaged, cudnnFound, cudnnCuda, List.copyOf(failures),
                searched);
    }
}
