package org.alexnetcuda.device.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.alexnetcuda.device.host.LibrarySearch.Found;

/**
 * What {@link CudaLibraries#prepare} found and loaded: the driver library, the cuBLAS route and the cuDNN
 * library, before JCuda's own native libraries (which link them) are loaded.
 *
 * @param driver            libcuda.so.1, when found
 * @param cublasRoute       how JCublas2 reaches cuBLAS
 * @param cublas            the cuBLAS library in use: libcublas.so.12, or libcublas.so.13 behind the forwarder
 * @param forwarder         the extracted forwarder, on the {@link CublasRoute#CUBLAS_13_FORWARDED} route
 * @param forwarderPackaged whether this jar carries the forwarder (a build without gcc has none)
 * @param cublas13          libcublas.so.13 when found (also on the cuBLAS 12 route, for the report)
 * @param cudnn             libcudnn.so.9, when found
 * @param loadFailures      one line per needed library that was found but failed to load
 * @param notes             one line per optional library that failed to load (cuDNN sub-libraries load on
 *                          demand, and one that is unusable only disables the engines it holds)
 * @param searched          where the search looked, for messages
 */
public record HostLibraries(Optional<Found> driver, CublasRoute cublasRoute, Optional<Found> cublas,
                            Optional<Path> forwarder, boolean forwarderPackaged, Optional<Found> cublas13,
                            Optional<Found> cudnn, List<String> loadFailures, List<String> notes,
                            String searched) {
}
