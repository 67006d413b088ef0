package org.alexnetcuda.device.sim;

import java.util.SplittableRandom;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers for the simulator's tests: fresh random data (never zeros), uploads, and status assertions. */
final class SimFixtures {
    private SimFixtures() {
    }

    /** A fresh seed per use; tests print it in their messages so that a failure can be replayed. */
    static long freshSeed() {
        return java.util.concurrent.ThreadLocalRandom.current().nextLong();
    }

    /** Values in +-[0.1, 1): random signs and magnitudes, never zero. */
    static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float v = (float) (0.1 + 0.9 * rnd.nextDouble());
            a[i] = rnd.nextBoolean() ? v : -v;
        }
        return a;
    }

    /** Allocates and fills device memory with the values. */
    static DevicePtr upload(SimDevice d, float[] values) {
        DevicePtr p = d.memory().alloc(4L * values.length);
        d.memory().writeFloats(p, values);
        return p;
    }

    /** Asserts that the executable throws a DeviceException with this status; returns it for further checks. */
    static DeviceException assertStatus(String status, Executable e) {
        DeviceException x = assertThrows(DeviceException.class, e);
        assertEquals(status, x.status(), x.getMessage());
        return x;
    }

    /** |a - b| <= tol * (1 + |b|) elementwise. */
    static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            assertTrue(Math.abs(actual[i] - e) <= tol * (1 + Math.abs(e)),
                    what + ": element " + i + " is " + actual[i] + ", expected " + e);
        }
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        double[] d = new double[expected.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = expected[i];
        }
        assertClose(d, actual, tol, what);
    }
}
