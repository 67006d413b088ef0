package org.alexnetcuda.device.host;

/** How JCublas2 (built for cuBLAS 12) reaches cuBLAS on this host. */
public enum CublasRoute {
    /** libcublas.so.12 is there: JCublas2's native library links it directly. */
    CUBLAS_12("cuBLAS 12, used directly"),
    /**
     * Only libcublas.so.13: the bundled forwarder (soname libcublas.so.12, cuda/compat) is loaded first and
     * passes every call on to libcublas.so.13.
     */
    CUBLAS_13_FORWARDED("cuBLAS 13 through the bundled libcublas.so.12 forwarder"),
    /** Neither was found. */
    NONE("no cuBLAS found");

    private final String description;

    CublasRoute(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
