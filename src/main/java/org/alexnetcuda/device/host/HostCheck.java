package org.alexnetcuda.device.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says, in one line per problem, why this host cannot run the GPU engine: what was found, what is needed and
 * how to fix it. The first problem is the one to report; fixing it may reveal the next.
 */
public final class HostCheck {
    static final String CPU_HINT = "or run with --device cpu";

    private HostCheck() {
    }

    /** The problems in the order they have to be fixed; empty when the host looks able to run. */
    public static List<String> problems(HostFindings f) {
        List<String> out = new ArrayList<>();
        if (f.driverBindingProblem() != null) {
            out.add(f.driverBindingProblem() + "; the GPU engine needs an NVIDIA driver for CUDA "
                    + CudaVersions.cuda(CudaVersions.MIN_DRIVER_CUDA) + " or newer (R525+): install it, " + CPU_HINT);
            return out;
        }
        if (f.cuInitError() != null) {
            out.add("the NVIDIA driver" + driverText(f) + " is installed but cuInit failed with " + f.cuInitError()
                    + "; check that nvidia-smi lists a GPU and that CUDA_VISIBLE_DEVICES does not hide it, "
                    + CPU_HINT);
            return out;
        }
        if (f.gpuCount() == 0) {
            out.add("the NVIDIA driver" + driverText(f) + " reports no GPU; check nvidia-smi and "
                    + "CUDA_VISIBLE_DEVICES, " + CPU_HINT);
            return out;
        }
        driverAge(f).ifPresent(out::add);
        cublas(f).ifPresent(out::add);
        cudnn(f).ifPresent(out::add);
        for (String failure : f.loadFailures()) {
            out.add(failure + "; check that the library's own dependencies are installed (ldd shows what is "
                    + "missing), " + CPU_HINT);
        }
        return out;
    }

    /** The first problem, if any. */
    public static Optional<String> firstProblem(HostFindings f) {
        List<String> p = problems(f);
        return p.isEmpty() ? Optional.empty() : Optional.of(p.get(0));
    }

    /** Throws {@link HostProblemException} with the first problem. */
    public static void require(HostFindings f) {
        Optional<String> p = firstProblem(f);
        if (p.isPresent()) {
            throw new HostProblemException(p.get());
        }
    }

    /** The driver must run CUDA 12 libraries and JIT the shipped PTX. */
    private static Optional<String> driverAge(HostFindings f) {
        if (f.driverCuda() <= 0) {
            return Optional.empty();
        }
        if (f.driverCuda() < CudaVersions.MIN_DRIVER_CUDA) {
            return Optional.of("the NVIDIA driver supports CUDA " + CudaVersions.cuda(f.driverCuda())
                    + "; cuBLAS 12 and cuDNN 9 need a driver for CUDA 12.0 or newer (R525+): update the NVIDIA "
                    + "driver, " + CPU_HINT);
        }
        if (f.requiredPtxIsa() != null) {
            int need = CudaVersions.firstCudaForIsa(f.requiredPtxIsa());
            if (need < 0 || need > f.driverCuda()) {
                String needText = need < 0 ? "a newer driver than this program knows"
                        : "a driver for CUDA " + CudaVersions.cuda(need) + " or newer";
                return Optional.of("the NVIDIA driver supports CUDA " + CudaVersions.cuda(f.driverCuda())
                        + " (PTX ISA up to " + CudaVersions.newestIsaFor(f.driverCuda()) + ") but this program's "
                        + "kernels are PTX ISA " + f.requiredPtxIsa() + ", which needs " + needText
                        + ": update the NVIDIA driver, " + CPU_HINT);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> cublas(HostFindings f) {
        switch (f.cublasRoute()) {
            case CUBLAS_12:
                return Optional.empty();
            case CUBLAS_13_FORWARDED:
                if (f.driverCuda() > 0 && CudaVersions.cudaMajor(f.driverCuda()) < 13) {
                    return Optional.of("only cuBLAS 13 (libcublas.so.13) was found, and it needs a driver for "
                            + "CUDA 13.0 or newer (R580+) but the driver supports CUDA "
                            + CudaVersions.cuda(f.driverCuda()) + "; install cuBLAS 12 (the CUDA 12 toolkit or "
                            + "pip install nvidia-cublas-cu12) or update the driver, " + CPU_HINT);
                }
                return Optional.empty();
            default:
                if (f.cublas13Found() && !f.forwarderPackaged()) {
                    return Optional.of("only cuBLAS 13 (libcublas.so.13) was found, and this jar was built without "
                            + "the libcublas.so.12 forwarder that lets JCublas use it (gcc was missing at build "
                            + "time); rebuild with gcc installed, or install cuBLAS 12 (pip install "
                            + "nvidia-cublas-cu12), " + CPU_HINT);
                }
                if (f.cublas13Found()) {
                    return Optional.empty(); // found but did not load: the load failure says why
                }
                return Optional.of("cuBLAS not found: neither libcublas.so.12 nor libcublas.so.13 (searched "
                        + f.searched() + "); install cuBLAS 12 or 13 (CUDA toolkit, or pip install "
                        + "nvidia-cublas-cu12), " + CPU_HINT);
        }
    }

    private static Optional<String> cudnn(HostFindings f) {
        if (!f.cudnnFound()) {
            return Optional.of("cuDNN 9 not found: no libcudnn.so.9 (searched " + f.searched() + "); install cuDNN 9 "
                    + "for your CUDA major version (pip install nvidia-cudnn-cu12 or nvidia-cudnn-cu13, or "
                    + "NVIDIA's cudnn9 packages), " + CPU_HINT);
        }
        if (f.cudnnCuda() > 0 && f.driverCuda() > 0
                && CudaVersions.cudaMajor(f.cudnnCuda()) > CudaVersions.cudaMajor(f.driverCuda())) {
            return Optional.of("cuDNN was built for CUDA " + CudaVersions.cuda(f.cudnnCuda()) + " but the driver "
                    + "supports CUDA " + CudaVersions.cuda(f.driverCuda()) + "; install the cuDNN 9 build for CUDA "
                    + CudaVersions.cudaMajor(f.driverCuda()) + " or update the driver, " + CPU_HINT);
        }
        return Optional.empty();
    }

    private static String driverText(HostFindings f) {
        return f.driverCuda() > 0 ? " (CUDA " + CudaVersions.cuda(f.driverCuda()) + ")" : "";
    }
}
