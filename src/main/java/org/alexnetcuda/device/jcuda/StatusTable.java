package org.alexnetcuda.device.jcuda;

import java.util.Map;

/** The reverse lookup of a library's status table (number to name), shared by cuBLAS's and cuDNN's. */
final class StatusTable {
    private StatusTable() {
    }

    /** The number whose name is {@code name} in {@code names}; -1 if none. */
    static int number(Map<Integer, String> names, String name) {
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return -1;
    }
}
