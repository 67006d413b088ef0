package org.alexnetcuda.kernels;

/**
 * Launch-shape arithmetic shared by the launchers; the constants mirror native-kernels/common.cuh.
 *
 * <p>Element-wise kernels run {@link #ELEMENTWISE_BLOCK} threads per block and at most
 * {@link #ELEMENTWISE_MAX_GRID} blocks; their grid-stride loops cover any larger size, so the grid never has to
 * grow with the tensor (see common.cuh for why these numbers).
 */
public final class LaunchShape {
    public static final int ELEMENTWISE_BLOCK = 256;
    public static final int ELEMENTWISE_MAX_GRID = 4096;

    private LaunchShape() {
    }

    /** min(ceil(work / ELEMENTWISE_BLOCK), ELEMENTWISE_MAX_GRID) for {@code work} > 0 independent items. */
    public static int elementwiseGrid(long work) {
        if (work <= 0) {
            throw new IllegalArgumentException("no work: " + work);
        }
        return (int) Math.min((work + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK, ELEMENTWISE_MAX_GRID);
    }

    /** The kernels' {@code int fmt} of a 16-bit storage format; F32 (or null) is refused. */
    static int halfCode(org.alexnetcuda.tensor.StorageFormat fmt) {
        if (fmt == null || !fmt.isHalf()) {
            throw new IllegalArgumentException("a 16-bit storage format (F16 or BF16) is required, got " + fmt);
        }
        return fmt.code();
    }

    static void requireNonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + value);
        }
    }
}
