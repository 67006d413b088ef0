package org.alexnetcuda.device.standin;

import java.util.HashMap;
import java.util.Map;

import org.alexnetcuda.device.jcuda.CublasStatus;
import org.alexnetcuda.device.jcuda.CudnnStatus;

import jcuda.driver.CUresult;

/**
 * The C number of a status name, for the library whose function is answering: the simulator names statuses as the
 * libraries spell them (CUDA_ERROR_OUT_OF_MEMORY, CUDNN_STATUS_BAD_PARAM); the stand-in returns their numbers.
 * A driver error raised inside a cuBLAS or cuDNN call (an illegal address, a capture violation) is answered as that
 * library would report a failed launch: CUBLAS_STATUS_EXECUTION_FAILED, CUDNN_STATUS_EXECUTION_FAILED.
 */
final class StatusNumbers {
    private static final Map<String, Integer> DRIVER = new HashMap<>();

    static {
        // CUresult's names, as JCuda's CUresult.stringFor spells them (the numbers of cuda.h).
        for (int i = 0; i < 1000; i++) {
            String name = CUresult.stringFor(i);
            if (name.startsWith("CUDA_")) {
                DRIVER.putIfAbsent(name, i);
            }
        }
    }

    private StatusNumbers() {
    }

    static int of(int library, String status) {
        Integer n = switch (library) {
            case StandinBridge.DRIVER -> DRIVER.get(status);
            case StandinBridge.CUBLAS -> positive(CublasStatus.number(status), status.startsWith("CUDA_ERROR")
                    ? CublasStatus.number("CUBLAS_STATUS_EXECUTION_FAILED") : -1);
            case StandinBridge.CUDNN -> positive(CudnnStatus.number(status), status.startsWith("CUDA_ERROR")
                    ? CudnnStatus.number("CUDNN_STATUS_EXECUTION_FAILED") : -1);
            default -> null;
        };
        if (n == null) {
            System.err.println("alexnet-cuda host stand-in: status " + status + " has no number in library "
                    + library + "; answering with its internal error");
            return internalError(library);
        }
        return n;
    }

    static int internalError(int library) {
        return switch (library) {
            case StandinBridge.DRIVER -> CUresult.CUDA_ERROR_UNKNOWN;
            case StandinBridge.CUBLAS -> CublasStatus.number("CUBLAS_STATUS_INTERNAL_ERROR");
            default -> CudnnStatus.number("CUDNN_STATUS_INTERNAL_ERROR");
        };
    }

    private static Integer positive(int number, int fallback) {
        return number > 0 ? Integer.valueOf(number) : fallback > 0 ? Integer.valueOf(fallback) : null;
    }
}
