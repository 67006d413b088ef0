package org.alexnetcuda.device;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.tensor.Precision;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Finds out, without ever throwing, whether a usable CUDA GPU is present: the driver library loads, cuInit
 * succeeds, and at least one device exists. Loading JCuda's driver binding is what first touches libcuda.so.1,
 * so a machine without the NVIDIA driver shows up here as a failed native load.
 */
public final class GpuProbe {
    private GpuProbe() {
    }

    /** One GPU as the driver reports it. */
    public record Gpu(int ordinal, String name, int ccMajor, int ccMinor, long totalMemory) {
        @Override
        public String toString() {
            return String.format("GPU %d: %s, compute capability %d.%d, %.1f GiB; --precision %s", ordinal, name,
                    ccMajor, ccMinor, totalMemory / (double) (1L << 30), precisions());
        }

        /**
         * The --precision values this card computes in: all four from Ampere (8.0) on; before it no bf16, and tf32
         * is plain FP32 there.
         */
        public String precisions() {
            int cc = 10 * ccMajor + ccMinor;
            List<String> p = new ArrayList<>();
            for (Precision q : Precision.values()) {
                if (cc >= q.minimumComputeCapability()) {
                    p.add(q == Precision.TF32 && cc < 80 ? "tf32 (as fp32 before Ampere)"
                            : q.option());
                }
            }
            return String.join(", ", p);
        }
    }

    /**
     * The probe's findings.
     *
     * @param usable        a driver and at least one GPU were found
     * @param driverVersion the CUDA version the driver supports, e.g. 12080 for 12.8 (0 when unknown)
     * @param problem       when not usable: one line saying what was probed and what was found
     */
    public record Result(boolean usable, int driverVersion, List<Gpu> gpus, String problem) {
        public String driverCudaVersion() {
            return driverVersion == 0 ? "unknown" : (driverVersion / 1000) + "." + (driverVersion % 1000) / 10;
        }
    }

    public static Result probe() {
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int rc = JCudaDriver.cuInit(0);
            if (rc != 0) {
                return new Result(false, 0, List.of(), "the CUDA driver is installed but cuInit failed with "
                        + jcuda.driver.CUresult.stringFor(rc) + " (no GPU visible to this process?)");
            }
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new Result(false, version[0], List.of(), "the CUDA driver (CUDA " + version[0] / 1000 + "."
                        + (version[0] % 1000) / 10 + ") reports no GPU");
            }
            List<Gpu> gpus = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice dev = new CUdevice();
                JCudaDriver.cuDeviceGet(dev, i);
                byte[] name = new byte[256];
                JCudaDriver.cuDeviceGetName(name, name.length, dev);
                int[] major = new int[1];
                int[] minor = new int[1];
                JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
                JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
                long[] mem = new long[1];
                JCudaDriver.cuDeviceTotalMem(mem, dev);
                gpus.add(new Gpu(i, cString(name), major[0], minor[0], mem[0]));
            }
            return new Result(true, version[0], gpus, null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("libcuda")) {
                return new Result(false, 0, List.of(), "no NVIDIA driver found (libcuda.so.1 is not installed)");
            }
            return new Result(false, 0, List.of(), "the JCuda driver binding did not load: " + firstLine(why));
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
