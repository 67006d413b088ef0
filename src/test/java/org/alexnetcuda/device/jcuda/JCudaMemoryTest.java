package org.alexnetcuda.device.jcuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The pieces host copies are cut into (the copies themselves need a GPU). */
class JCudaMemoryTest {
    @Test
    void chunksCoverTheCopyInOrderWithinTheStagingLimit() {
        assertEquals(0, JCudaMemory.chunks(0, 4).length);
        assertArrayEquals(new int[][] {{0, 5}}, JCudaMemory.chunks(5, 8));
        int perFloat = JCudaMemory.CHUNK_BYTES / 4;
        assertArrayEquals(new int[][] {{0, perFloat}}, JCudaMemory.chunks(perFloat, 4));
        assertArrayEquals(new int[][] {{0, perFloat}, {perFloat, perFloat}, {2 * perFloat, 1}},
                JCudaMemory.chunks(2 * perFloat + 1, 4));
        // The CIFAR-10 training images: 150 MiB of bytes in three pieces, none over the limit.
        int[][] images = JCudaMemory.chunks(50_000 * 3072, 1);
        long total = 0;
        for (int[] c : images) {
            assertEquals(total, c[0]);
            assertEquals(true, c[1] > 0 && c[1] <= JCudaMemory.CHUNK_BYTES);
            total += c[1];
        }
        assertEquals(50_000L * 3072, total);
        assertEquals(3, images.length);
    }
}
