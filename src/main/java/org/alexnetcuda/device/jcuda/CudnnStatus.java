package org.alexnetcuda.device.jcuda;

import java.util.Map;

/**
 * cudnnStatus_t names for cuDNN 9. The JCudnn 11.7.0 Java API carries cuDNN 8's numbers (BAD_PARAM = 3, ...),
 * but cuDNN 9 renumbered its statuses into groups (1xxx not initialised / version, 2xxx bad parameter, 3xxx not
 * supported, 4xxx internal, 5xxx execution failed), so the names come from here.
 *
 * <p>Values: cuDNN 9 API reference, cudnn_graph library, cudnnStatus_t
 * (https://docs.nvidia.com/deeplearning/cudnn/latest/api/cudnn-graph-library.html); checked against the
 * constants generated from the cuDNN 9.19 headers in org.bytedeco:cuda:13.1-9.19-1.5.13 and against JCudnn
 * 12.6.0's cudnnStatus (cuDNN 9.5). The deprecated aliases (ALLOC_FAILED = 4003, INVALID_VALUE = 2001,
 * ARCH_MISMATCH = 3007, MAPPING_ERROR = 4006, RUNTIME_PREREQUISITE_MISSING = 3008, VERSION_MISMATCH = 1002)
 * share numbers with the names below.
 */
public final class CudnnStatus {
    /**
     * JCudnn's own code for a failure inside its JNI layer: JCUDNN_STATUS_INTERNAL_ERROR, defined as (-1) in
     * JCudnnJNI/src/JCudnn_common.hpp of both the 11.7.0 and the 12.6.0 natives. (Each JCuda library has its own:
     * {@link CublasStatus#JCUBLAS_INTERNAL_ERROR}, {@link Check#JCUDA_DRIVER_INTERNAL_ERROR}.)
     */
    static final int JCUDNN_INTERNAL_ERROR = -1;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "CUDNN_STATUS_SUCCESS"),
            Map.entry(1001, "CUDNN_STATUS_NOT_INITIALIZED"),
            Map.entry(1002, "CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH"),
            Map.entry(1003, "CUDNN_STATUS_SERIALIZATION_VERSION_MISMATCH"),
            Map.entry(1004, "CUDNN_STATUS_DEPRECATED"),
            Map.entry(1005, "CUDNN_STATUS_LICENSE_ERROR"),
            Map.entry(1006, "CUDNN_STATUS_RUNTIME_IN_PROGRESS"),
            Map.entry(1007, "CUDNN_STATUS_RUNTIME_FP_OVERFLOW"),
            Map.entry(1008, "CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED"),
            Map.entry(2000, "CUDNN_STATUS_BAD_PARAM"),
            Map.entry(2001, "CUDNN_STATUS_INVALID_VALUE"),
            Map.entry(2002, "CUDNN_STATUS_BAD_PARAM_NULL_POINTER"),
            Map.entry(2003, "CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER"),
            Map.entry(2004, "CUDNN_STATUS_BAD_PARAM_NOT_FINALIZED"),
            Map.entry(2005, "CUDNN_STATUS_BAD_PARAM_OUT_OF_BOUND"),
            Map.entry(2006, "CUDNN_STATUS_BAD_PARAM_SIZE_INSUFFICIENT"),
            Map.entry(2007, "CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH"),
            Map.entry(2008, "CUDNN_STATUS_BAD_PARAM_SHAPE_MISMATCH"),
            Map.entry(2009, "CUDNN_STATUS_BAD_PARAM_DUPLICATED_ENTRIES"),
            Map.entry(2010, "CUDNN_STATUS_BAD_PARAM_ATTRIBUTE_TYPE"),
            Map.entry(2011, "CUDNN_STATUS_BAD_PARAM_CUDA_GRAPH_MISMATCH"),
            Map.entry(2012, "CUDNN_STATUS_BAD_PARAM_DESCRIPTOR_TYPE"),
            Map.entry(3000, "CUDNN_STATUS_NOT_SUPPORTED"),
            Map.entry(3001, "CUDNN_STATUS_NOT_SUPPORTED_GRAPH_PATTERN"),
            Map.entry(3002, "CUDNN_STATUS_NOT_SUPPORTED_SHAPE"),
            Map.entry(3003, "CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE"),
            Map.entry(3004, "CUDNN_STATUS_NOT_SUPPORTED_LAYOUT"),
            Map.entry(3005, "CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDA_DRIVER"),
            Map.entry(3006, "CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDART"),
            Map.entry(3007, "CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH"),
            Map.entry(3008, "CUDNN_STATUS_NOT_SUPPORTED_RUNTIME_PREREQUISITE_MISSING"),
            Map.entry(3009, "CUDNN_STATUS_NOT_SUPPORTED_SUBLIBRARY_UNAVAILABLE"),
            Map.entry(3010, "CUDNN_STATUS_NOT_SUPPORTED_SHARED_MEMORY_INSUFFICIENT"),
            Map.entry(3011, "CUDNN_STATUS_NOT_SUPPORTED_PADDING"),
            Map.entry(3012, "CUDNN_STATUS_NOT_SUPPORTED_BAD_LAUNCH_PARAM"),
            Map.entry(3013, "CUDNN_STATUS_NOT_SUPPORTED_CUDA_GRAPH_NATIVE_API"),
            Map.entry(3014, "CUDNN_STATUS_NOT_SUPPORTED_INVALID_DYNAMIC_SHAPE"),
            Map.entry(4000, "CUDNN_STATUS_INTERNAL_ERROR"),
            Map.entry(4001, "CUDNN_STATUS_INTERNAL_ERROR_COMPILATION_FAILED"),
            Map.entry(4002, "CUDNN_STATUS_INTERNAL_ERROR_UNEXPECTED_VALUE"),
            Map.entry(4003, "CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED"),
            Map.entry(4004, "CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED"),
            Map.entry(4005, "CUDNN_STATUS_INTERNAL_ERROR_BAD_LAUNCH_PARAM"),
            Map.entry(4006, "CUDNN_STATUS_INTERNAL_ERROR_TEXTURE_CREATION_FAILED"),
            Map.entry(5000, "CUDNN_STATUS_EXECUTION_FAILED"),
            Map.entry(5001, "CUDNN_STATUS_EXECUTION_FAILED_CUDA_DRIVER"),
            Map.entry(5002, "CUDNN_STATUS_EXECUTION_FAILED_CUBLAS"),
            Map.entry(5003, "CUDNN_STATUS_EXECUTION_FAILED_CUDART"),
            Map.entry(5004, "CUDNN_STATUS_EXECUTION_FAILED_CURAND"),
            Map.entry(JCUDNN_INTERNAL_ERROR, "JCUDNN_STATUS_INTERNAL_ERROR"));

    private CudnnStatus() {
    }

    /** The number of a status name of the table (e.g. for a stand-in that answers with it); -1 if not in it. */
    public static int number(String name) {
        return StatusTable.number(NAMES, name);
    }

    /** The cuDNN 9 name; a number outside the table is named by its group, e.g. "CUDNN_STATUS_BAD_PARAM (2099)". */
    public static String name(int status) {
        String n = NAMES.get(status);
        if (n != null) {
            return n;
        }
        int group = status / 1000 * 1000;
        String g = NAMES.get(group);
        return g != null && status > 1000 && status < 6000 ? g + " (" + status + ")" : "cudnnStatus " + status;
    }
}
