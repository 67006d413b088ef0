package org.alexnetcuda.device.sim;

import java.util.SplittableRandom;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.device.sim.SimFixtures.assertStatus;
import static org.alexnetcuda.device.sim.SimFixtures.randomFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimMemoryTest {
    private final long seed = SimFixtures.freshSeed();
    private final SplittableRandom rnd = new SplittableRandom(seed);
    private final SimDevice device = new SimDevice();
    private final SimMemory mem = device.memory();
    private final Stream stream = device.streams().createStream();

    @AfterEach
    void close() {
        device.close();
    }

    @Test
    void allocationsAreAlignedIncreasingNonZeroAndSeparated() {
        long previousEnd = 0;
        for (long size : new long[] {1, 255, 256, 257, 4096, 100_003}) {
            DevicePtr p = mem.alloc(size);
            assertFalse(p.isNull());
            assertEquals(0, p.address() % 256, "alignment of " + p);
            assertTrue(p.address() > previousEnd, "addresses grow");
            previousEnd = p.address() + size;
            // One byte past the end is in no allocation: the gap after each allocation.
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> mem.bytes(p.plus(size), 1));
        }
        assertEquals(6, device.allocationCount());
    }

    @Test
    void freshMemoryReadsAsNaN() {
        DevicePtr p = mem.alloc(64);
        for (float f : mem.readFloats(p, 16)) {
            assertTrue(Float.isNaN(f));
        }
        assertEquals(-1, mem.getInt(p));
    }

    @Test
    void hostCopiesRoundTripEveryType() {
        float[] f = randomFloats(rnd, 1001);
        int[] ints = rnd.ints(77).toArray();
        byte[] bytes = new byte[33];
        rnd.nextBytes(bytes);
        DevicePtr pf = mem.alloc(4 * 1001);
        DevicePtr pi = mem.alloc(4 * 77);
        DevicePtr pb = mem.alloc(33);
        mem.copyToDevice(pf, f, 0, 1001, stream);
        mem.copyToDevice(pi, ints, 0, 77, stream);
        mem.copyToDevice(pb, bytes, 0, 33, null);
        float[] fb = new float[1001];
        mem.copyToHost(fb, 0, 1001, pf, stream);
        assertArrayEquals(f, fb, "seed " + seed);
        int[] ib = new int[77];
        mem.copyToHost(ib, 0, 77, pi, stream);
        assertArrayEquals(ints, ib);
        assertArrayEquals(bytes, mem.readBytes(pb, 33));

        // Offsets on both sides: host elements [3, 3 + 5) to device element 10.
        mem.copyToDevice(pf.plusFloats(10), f, 3, 5, stream);
        float[] part = new float[8];
        mem.copyToHost(part, 2, 5, pf.plusFloats(10), stream);
        for (int i = 0; i < 5; i++) {
            assertEquals(f[3 + i], part[2 + i]);
        }

        double[] d = {Math.PI, -Math.E, 1e300};
        DevicePtr pd = mem.alloc(24);
        mem.writeDoubles(pd, d);
        double[] db = new double[3];
        mem.copyToHost(db, 0, 3, pd, stream);
        assertArrayEquals(d, db);
    }

    @Test
    void deviceToDeviceCopyAndMemset() {
        float[] f = randomFloats(rnd, 300);
        DevicePtr a = SimFixtures.upload(device, f);
        DevicePtr b = mem.alloc(4 * 300);
        mem.copyDeviceToDevice(b.plusFloats(100), a, 4 * 200, stream);
        float[] got = mem.readFloats(b.plusFloats(100), 200);
        for (int i = 0; i < 200; i++) {
            assertEquals(f[i], got[i]);
        }
        mem.setD32(b, Float.floatToIntBits(2.5f), 100, stream);
        for (float v : mem.readFloats(b, 100)) {
            assertEquals(2.5f, v);
        }
        mem.setD32(b, 0, 50, stream);
        assertEquals(0f, mem.getFloat(b.plusFloats(49)));
        assertEquals(2.5f, mem.getFloat(b.plusFloats(50)));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.copyDeviceToDevice(a.plus(4), a, 8, stream));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.setD32(b.plus(2), 0, 1, stream));
    }

    @Test
    void rangesMustLieInsideOneLiveAllocation() {
        DevicePtr p = mem.alloc(400);
        float[] host = new float[200];
        // API copies: the driver's CUDA_ERROR_INVALID_VALUE.
        DeviceException e = assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.copyToHost(host, 0, 101, p, stream));
        assertTrue(e.getMessage().contains("cuMemcpyDtoHAsync") && e.getMessage().contains("past the end"),
                e.getMessage());
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.copyToDevice(p.plusFloats(100), host, 0, 1, stream));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.copyToDevice(p, host, 150, 100, stream));
        // Device accesses: the GPU's CUDA_ERROR_ILLEGAL_ADDRESS, naming the allocation.
        e = assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> mem.floats(p.plusFloats(90), 20));
        assertTrue(e.getMessage().contains("allocation #1"), e.getMessage());
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> mem.floats(new DevicePtr(12344), 1));
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> mem.floats(DevicePtr.NULL, 1));
        assertStatus("CUDA_ERROR_MISALIGNED_ADDRESS", () -> mem.floats(p.plus(2), 1));
        assertStatus("CUDA_ERROR_MISALIGNED_ADDRESS", () -> mem.doubles(p.plus(4), 1));
        // The whole last element fits, one more does not.
        mem.floats(p.plusFloats(99), 1).put(0, 1f);
    }

    @Test
    void useAfterFreeAndBadFreesAreRejected() {
        DevicePtr p = mem.alloc(1024);
        DevicePtr q = mem.alloc(1024);
        mem.free(p);
        DeviceException e = assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.readFloats(p.plusFloats(3), 2));
        assertTrue(e.getMessage().contains("use after free"), e.getMessage());
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.copyToHost(new float[1], 0, 1, p, stream));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.free(p));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.free(q.plus(256)));
        // Freed addresses are never handed out again.
        DevicePtr r = mem.alloc(1024);
        assertTrue(r.address() > q.address());
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.alloc(0));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.alloc(-5));
    }

    @Test
    void capacityIsEnforcedAndReported() {
        try (SimDevice small = new SimDevice(1 << 20)) {
            SimMemory m = small.memory();
            assertArrayEquals(new long[] {1 << 20, 1 << 20}, m.info());
            DevicePtr a = m.alloc(600_000);
            assertEquals((1 << 20) - 600_064, m.info()[0]);
            DeviceException e = assertStatus("CUDA_ERROR_OUT_OF_MEMORY", () -> m.alloc(600_000));
            assertTrue(e.getMessage().startsWith("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY"), e.getMessage());
            m.free(a);
            m.alloc(600_000);
            assertEquals(3, small.allocationCount());
        }
        assertStatus("CUDA_ERROR_OUT_OF_MEMORY", () -> mem.alloc(SimMemory.MAX_ALLOCATION + 1));
    }

    @Test
    void anAllocationOfOnePointFiveGigabytesWorks() {
        long size = 1536L << 20;
        DevicePtr p = mem.alloc(size);
        DevicePtr last = p.plus(size - 8);
        mem.writeFloats(last, new float[] {3f, 4f});
        float[] back = new float[2];
        mem.copyToHost(back, 0, 2, last, stream);
        assertArrayEquals(new float[] {3f, 4f}, back);
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> mem.floats(last, 3));
        mem.free(p);
    }

    @Test
    void callsAfterCloseFail() {
        DevicePtr p = mem.alloc(64);
        device.close();
        assertStatus("CUDA_ERROR_INVALID_CONTEXT", () -> mem.alloc(64));
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> mem.readFloats(p, 1));
        device.close();
    }
}
