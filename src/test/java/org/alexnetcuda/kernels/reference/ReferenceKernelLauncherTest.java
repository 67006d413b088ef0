package org.alexnetcuda.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.DataKernels;
import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.KernelCatalog;
import org.alexnetcuda.kernels.ReluKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.math.ReluMath;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * ReferenceKernelLauncher through the typed launchers, on DevicePtr pointers into an {@link ArrayMemory}, as the
 * device simulator will use it. The references themselves are compared with the host build of the kernels in
 * org.alexnetcuda.kernels' *KernelsTest.
 */
class ReferenceKernelLauncherTest {
    private final ArrayMemory mem = new ArrayMemory();
    private final ReferenceKernelLauncher launcher = new ReferenceKernelLauncher(mem);

    static float[] random(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void everyKernelHasAReference() {
        for (Kernel k : KernelCatalog.all()) {
            assertTrue(KernelReference.covers(k), k.toString());
        }
    }

    /** ReLU forward and backward, on pointers offset into their allocations as the engine's pool pointers are. */
    @Test
    void reluThroughTheLauncher() {
        int n = 70_001;  // more than one piece of Chunks.ELEMENTS
        float[] x = random(1, n);
        float[] dy = random(2, n);
        DevicePtr xs = mem.alloc(4 * (n + 3));
        mem.writeFloats(xs, 3, x, 0, n);
        DevicePtr y = mem.alloc(4 * n);
        DevicePtr g = mem.floats(dy);
        ReluKernels relu = new ReluKernels(launcher);
        relu.forward(null, y, xs.plusFloats(3), n);
        relu.backward(null, g, g, y, n);  // in place
        float[] yv = mem.floats(y, n);
        float[] gv = mem.floats(g, n);
        for (int i = 0; i < n; i++) {
            assertEquals(ReluMath.value(x[i]), yv[i], 0f, "y " + i);
            assertEquals(x[i] > 0 ? dy[i] : 0f, gv[i], 0f, "dx " + i);
        }
    }

    /** Two Adam steps through the launcher are org.alexnetcuda.math.Adam's, bit for bit, state included. */
    @Test
    void adamThroughTheLauncher() {
        int n = 1000;
        double lr = 1e-3;
        AdamKernels.Hyperparameters h = new AdamKernels.Hyperparameters(0.9, 0.999, 1e-8, 1e-4);
        float[] p0 = random(3, n);
        DevicePtr p = mem.floats(p0);
        DevicePtr m = mem.alloc(4 * n);
        DevicePtr v = mem.alloc(4 * n);
        DevicePtr state = mem.bytes(AdamKernels.encodeState(0, lr));
        ParameterStore.Builder b = new ParameterStore.Builder();
        b.add("w", n);
        ParameterStore store = b.build();
        System.arraycopy(p0, 0, store.values, 0, n);
        Adam cpu = new Adam(lr, h.beta1(), h.beta2(), h.eps(), h.weightDecay());
        AdamKernels adam = new AdamKernels(launcher);
        for (int s = 1; s <= 2; s++) {
            float[] grad = random(10 + s, n);
            System.arraycopy(grad, 0, store.grads, 0, n);
            cpu.step(store);
            adam.step(null, state, p, mem.floats(grad), m, v, n, h);
            assertArrayEquals(store.values, mem.floats(p, n), "param after step " + s);
            assertArrayEquals(cpu.m(), mem.floats(m, n), "m after step " + s);
            assertArrayEquals(cpu.v(), mem.floats(v, n), "v after step " + s);
            assertEquals(s, mem.getLong(state, 0), "t");
            assertEquals((float) Adam.stepSize(lr, h.beta1(), s), mem.getFloat(state, 4), 0f, "step_size");
        }
    }

    /** Java null and DevicePtr.NULL are both null pointers: optional arrays are skipped, required ones refused. */
    @Test
    void nullPointers() {
        int n = 2;
        int classes = 3;
        DevicePtr logits = mem.floats(1f, 2f, 3f, 3f, 2f, 1f);
        DevicePtr labels = mem.alloc(8);
        mem.writeInts(labels, 0, new int[] {2, 1}, 0, 2);
        for (Object none : new Object[] {null, DevicePtr.NULL}) {
            DevicePtr loss = mem.alloc(8 * n);
            DevicePtr correct = mem.alloc(4 * n);
            new SoftmaxCrossEntropyKernels(launcher).forwardBackward(null, none, loss, correct, logits, labels, n,
                    classes);
            int[] c = new int[n];
            mem.readInts(correct, 0, c, 0, n);
            assertArrayEquals(new int[] {1, 0}, c, "correct with dlogits " + none);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SoftmaxCrossEntropyKernels(launcher).forwardBackward(null, null, none, correct, logits,
                            labels, n, classes));
            assertTrue(e.getMessage().contains("sample_loss"), e.getMessage());
        }

        // data_prepare_batch with every optional pointer null: the identity order from 0, no augmentation.
        byte[] image = new byte[DataKernels.IMAGE_BYTES];
        image[0] = (byte) 255;
        DevicePtr out = mem.alloc(4 * 3);
        DevicePtr labelsOut = mem.alloc(4);
        new DataKernels(launcher).prepareBatch(null, out, labelsOut, mem.bytes(image), mem.bytes(new byte[] {9}), 1,
                DevicePtr.NULL, DevicePtr.NULL, 1, 1, null, DevicePtr.NULL);
        assertEquals(9, mem.getInt(labelsOut, 0));
    }

    @Test
    void argumentsAndLaunchShapeAreChecked() {
        DevicePtr x = mem.floats(1f);
        assertThrows(IllegalArgumentException.class,
                () -> launcher.launch(ReluKernels.FORWARD, 1, 256, 0, null, x, x, 1L), "a Long for an int");
        assertThrows(IllegalArgumentException.class,
                () -> launcher.launch(ReluKernels.FORWARD, 1, 256, 0, null, x, x), "too few arguments");
        assertThrows(IllegalArgumentException.class,
                () -> launcher.launch(ReluKernels.FORWARD, 0, 256, 0, null, x, x, 1), "empty grid");
        // The loss kernel's tree reduction needs a power-of-two block: a trap on the device.
        KernelTrapException t = assertThrows(KernelTrapException.class,
                () -> launcher.launch(SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, 1, 96, 0, null, null, x, x, x, x,
                        1, 1));
        assertEquals("softmax_xent_forward_backward", t.kernel());
    }

    /** With a submitter the work runs when the submitter says (a stream, a graph), on the arguments of the launch. */
    @Test
    void aSubmitterDecidesWhenTheWorkRuns() {
        List<Runnable> queue = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        ReferenceKernelLauncher queued = new ReferenceKernelLauncher(mem, (stream, call, work) -> {
            calls.add(stream + " " + call);
            queue.add(work);
        });
        DevicePtr x = mem.floats(-1f, 2f);
        DevicePtr y = mem.alloc(8);
        mem.writeFloats(y, 0, new float[] {7f, 7f}, 0, 2);
        Object[] args = {y, x, 2};
        queued.launch(ReluKernels.FORWARD, 1, 256, 0, "s1", args);
        args[2] = 1;  // the launch copied its arguments
        assertArrayEquals(new float[] {7f, 7f}, mem.floats(y, 2), "nothing ran yet");
        assertEquals(List.of("s1 cuLaunchKernel"), calls);
        queue.get(0).run();
        assertArrayEquals(new float[] {0f, 2f}, mem.floats(y, 2));
        // Arguments and shape are refused at launch, not when the work runs.
        assertThrows(IllegalArgumentException.class, () -> queued.launch(ReluKernels.FORWARD, 1, 256, 0, null, y, x));
        assertEquals(1, queue.size());
    }

    /** ByteBufferMemory.over: a whole memory as one buffer at device address 0x100. */
    @Test
    void byteBufferMemoryOverViews() {
        ByteBuffer all = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        all.asFloatBuffer().put(new float[] {-1f, 2f, -3f, 4f});
        KernelMemory bytes = ByteBufferMemory.over((ptr, byteOffset, byteCount, elementBytes) -> {
            int at = Math.toIntExact(((DevicePtr) ptr).address() - 0x100 + byteOffset);
            return all.duplicate().position(at).limit(at + byteCount).slice();
        });
        DevicePtr base = new DevicePtr(0x100);
        new ReluKernels(new ReferenceKernelLauncher(bytes)).forward(null, base.plus(32), base, 4);
        float[] y = new float[4];
        bytes.readFloats(base.plus(32), 0, y, 0, 4);
        assertArrayEquals(new float[] {0f, 2f, 0f, 4f}, y);
        assertEquals(4f, bytes.getFloat(base.plus(8), 1), 0f, "element 1 of a pointer 8 bytes in");
    }

    @Test
    void anAccessOutsideTheAllocationFails() {
        DevicePtr x = mem.floats(1f, 2f, 3f);
        DevicePtr y = mem.alloc(4 * 4);
        assertThrows(IndexOutOfBoundsException.class, () -> new ReluKernels(launcher).forward(null, y, x, 4));
    }
}
