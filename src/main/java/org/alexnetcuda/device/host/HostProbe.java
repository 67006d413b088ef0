package org.alexnetcuda.device.host;

import java.util.ArrayList;
import java.util.List;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;
import jcuda.libraryPropertyType;

/**
 * Gathers {@link HostFindings} once the CUDA libraries are prepared: asks the driver (cuInit,
 * cuDriverGetVersion, cuDeviceGetCount), then loads JCublas2's and JCudnn's native libraries and asks them for
 * their versions, none of which needs a GPU (cublasGetProperty, cublasGetCudartVersion, cudnnGetVersion,
 * cudnnGetCudartVersion). A native library that does not load becomes a finding, not an exception.
 */
public final class HostProbe {
    /**
     * Library versions as the loaded libraries report them; 0 where unknown.
     *
     * @param cublas      major * 10000 + minor * 100 + patch, from cublasGetProperty
     * @param cublasCuda  the CUDA version cuBLAS was built with (cublasGetCudartVersion)
     * @param cudnn       cudnnGetVersion
     * @param cudnnCuda   the CUDA version cuDNN was built with (cudnnGetCudartVersion)
     */
    public record Versions(int cublas, int cublasCuda, long cudnn, int cudnnCuda) {
        public String cublasText() {
            return cublas <= 0 ? "unknown" : (cublas / 10000) + "." + (cublas % 10000) / 100 + "." + cublas % 100;
        }
    }

    /** The findings and the versions read along the way. */
    public record Result(HostFindings findings, Versions versions) {
    }

    private HostProbe() {
    }

    public static Result probe(HostLibraries libs) {
        String bindingProblem = null;
        String cuInitError = null;
        int driverCuda = 0;
        int gpus = 0;
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int[] v = new int[1];
            if (JCudaDriver.cuDriverGetVersion(v) == CUresult.CUDA_SUCCESS) {
                driverCuda = v[0];
            }
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                cuInitError = CUresult.stringFor(rc);
            } else {
                int[] n = new int[1];
                if (JCudaDriver.cuDeviceGetCount(n) == CUresult.CUDA_SUCCESS) {
                    gpus = n[0];
                }
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            bindingProblem = driverBindingProblem(e.getMessage(), libs.driver().isPresent());
        }

        List<String> failures = new ArrayList<>(libs.loadFailures());
        int cublas = 0;
        int cublasCuda = 0;
        if (libs.cublasRoute() != CublasRoute.NONE) {
            try {
                JCublas2.setExceptionsEnabled(false);
                int[] major = new int[1];
                int[] minor = new int[1];
                int[] patch = new int[1];
                if (JCublas2.cublasGetProperty(libraryPropertyType.MAJOR_VERSION, major) == 0
                        && JCublas2.cublasGetProperty(libraryPropertyType.MINOR_VERSION, minor) == 0
                        && JCublas2.cublasGetProperty(libraryPropertyType.PATCH_LEVEL, patch) == 0) {
                    cublas = major[0] * 10000 + minor[0] * 100 + patch[0];
                }
                cublasCuda = (int) JCublas2.cublasGetCudartVersion();
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                failures.add("JCublas2's native library (needs libcublas.so.12) did not load: "
                        + CudaLibraries.firstLine(e.getMessage()));
            }
        }
        long cudnn = 0;
        int cudnnCuda = 0;
        if (libs.cudnn().isPresent()) {
            try {
                JCudnn.setExceptionsEnabled(false);
                cudnn = JCudnn.cudnnGetVersion();
                cudnnCuda = (int) JCudnn.cudnnGetCudartVersion();
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                failures.add("JCudnn's native library (needs libcudnn.so.9) did not load: "
                        + CudaLibraries.firstLine(e.getMessage()));
            }
        }
        HostFindings f = new HostFindings(bindingProblem, cuInitError, driverCuda, gpus, ShippedPtx.requiredIsa(),
                libs.cublasRoute(), libs.cublas13().isPresent(), libs.forwarderPackaged(), libs.cudnn().isPresent(),
                cudnnCuda, List.copyOf(failures), libs.searched());
        return new Result(f, new Versions(cublas, cublasCuda, cudnn, cudnnCuda));
    }

    /** One line for a driver binding that did not load: usually no libcuda.so.1, i.e. no NVIDIA driver. */
    static String driverBindingProblem(String message, boolean driverFileFound) {
        String m = String.valueOf(message);
        if (m.contains("libcuda") || !driverFileFound) {
            return "no NVIDIA driver found (libcuda.so.1 is not installed)";
        }
        return "the JCuda driver binding did not load: " + CudaLibraries.firstLine(m);
    }
}
