package org.alexnetcuda.engine.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DevicePtr;

/**
 * All device memory of a run in one allocation, planned before the first step (as llm.c does): the plan lists
 * named regions, the pool makes one cuMemAlloc of their total and hands out pointers into it. Nothing is allocated
 * afterwards, so a step cannot fail for memory and its pointers never change (which graph replay relies on).
 */
public final class DevicePool implements AutoCloseable {
    /** Regions start at multiples of 256 bytes, the alignment cudaMalloc guarantees and cuDNN likes. */
    public static final long ALIGNMENT = 256;

    /** A named byte range of the pool. */
    public record Region(String name, long offset, long bytes) {
    }

    /** The regions of a pool, in order, before anything is allocated. */
    public static final class Plan {
        private final List<Region> regions = new ArrayList<>();
        private long end;

        public Region add(String name, long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException(name + ": negative size " + bytes);
            }
            long offset = (end + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
            Region r = new Region(name, offset, bytes);
            regions.add(r);
            end = offset + bytes;
            return r;
        }

        public long totalBytes() {
            return (end + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        }

        public List<Region> regions() {
            return Collections.unmodifiableList(regions);
        }
    }

    private final DeviceMemory memory;
    private final Plan plan;
    private final DevicePtr base;

    /** Allocates the whole plan at once. */
    public DevicePool(DeviceMemory memory, Plan plan) {
        this.memory = memory;
        this.plan = plan;
        this.base = memory.alloc(Math.max(plan.totalBytes(), ALIGNMENT));
    }

    public DevicePtr ptr(Region r) {
        return base.plus(r.offset());
    }

    public Plan plan() {
        return plan;
    }

    @Override
    public void close() {
        memory.free(base);
    }
}
