package org.alexnetcuda.device.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.jcuda.JCudaPointers;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * Run by {@link ForwarderJvmTest} in a fresh JVM: the production loading ({@link CudaLibraries#prepare} with
 * the forwarder from the jar resources) on a "host" whose only cuBLAS is the stand-in libcublas.so.13 in
 * args[0], then real JCublas2 calls, which must arrive in the stand-in through JCublas2's native library and
 * the forwarder. Prints one fact per line for the test to check.
 */
public final class ForwarderJvmChild {
    private ForwarderJvmChild() {
    }

    public static void main(String[] args) throws Exception {
        Path fakeDir = Path.of(args[0]);
        Path emptyRoot = Files.createDirectories(fakeDir.resolve("empty-root"));
        LibrarySearch search = LibrarySearch.of(Map.of(LibrarySearch.PATH_ENV, fakeDir.toString()), null, null,
                emptyRoot, LdCache.empty());
        HostLibraries libs = CudaLibraries.prepare(search, file -> System.load(file.toString()),
                CublasForwarder.packaged(), CublasForwarder::extract);
        System.out.println("route " + libs.cublasRoute());
        System.out.println("failures " + libs.loadFailures());

        JCublas2.setExceptionsEnabled(false);
        int[] major = new int[1];
        JCublas2.cublasGetProperty(jcuda.libraryPropertyType.MAJOR_VERSION, major);
        System.out.println("cublasGetProperty major " + major[0]);

        cublasHandle h = new cublasHandle();
        System.out.println("cublasCreate rc " + JCublas2.cublasCreate(h));
        System.out.flush();
        // Device addresses through the production DevicePtr -> CUdeviceptr conversion: the stand-in prints them.
        int rc = JCublas2.cublasSgemm(h, 1, 0, 2, 3, 4, Pointer.to(new float[] {1.5f}),
                JCudaPointers.of(new DevicePtr(0x1000)), 5, JCudaPointers.of(new DevicePtr(0x7f00_0000_2000L)), 6,
                Pointer.to(new float[] {0.25f}), JCudaPointers.of(new DevicePtr(0x3000).plusFloats(4)), 7);
        System.out.println("cublasSgemm rc " + rc);
        System.out.println("cublasSgemv rc " + JCublas2.cublasSgemv(h, 0, 8, 9, Pointer.to(new float[] {1f}),
                new Pointer(), 10, new Pointer(), 1, Pointer.to(new float[] {0f}), new Pointer(), 1));
        System.out.flush();

        // The report as the device command builds it, from what is now mapped into this process.
        HostProbe.Result probe = HostProbe.probe(libs);
        for (String line : DeviceReport.build(libs, probe, List.of(), ProcMaps.self(), null).lines()) {
            System.out.println("report " + line);
        }
        System.out.println("mapped forwarder " + ProcMaps.self().first("libcublas12to13").isPresent());
        System.out.println("mapped JCublas2 " + ProcMaps.self().first("libJCublas2").isPresent());
    }
}
