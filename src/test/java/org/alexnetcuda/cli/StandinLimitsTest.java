package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.gpu.GpuSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training through the stand-in in child JVMs (its settings are read once a process): posing as a smaller or older
 * card, the program's one-line errors and exit codes for a device too small and for bf16 on compute capability
 * 7.5, reached through the real JCuda path; and a whole run under the JVM's JNI checks, which find a stand-in that
 * calls back into Java while JCuda holds a Java array pinned.
 */
@Tag("standin")
class StandinLimitsTest {
    @TempDir
    Path tmp;

    private Scripts.Result train(String setting, String value, String... more) throws Exception {
        return train(List.of(), setting, value, more);
    }

    private Scripts.Result train(List<String> jvmOptions, String setting, String value, String... more)
            throws Exception {
        GpuSupport.open().close(); // skip where the stand-in was not built
        List<String> cmd = new ArrayList<>(List.of(Scripts.alexnetOnClasspath().split(" ")));
        cmd.addAll(1, jvmOptions);
        cmd.addAll(List.of("train", "--device", "gpu", "--data-dir", RunCliTest.SYNTH, "--input-size", "67",
                "--widths", "8,16,16,16,16,32", "--limit-train", "64", "--limit-test", "32", "--batch-size", "32",
                "--epochs", "1", "--run-dir", tmp.resolve("run").toString()));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(setting, value);
        return Scripts.run(pb);
    }

    private static void assertOneLineError(Scripts.Result r, int code, String message) {
        assertEquals(code, r.code(), r::output);
        List<String> errors = r.output().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r::output);
        assertTrue(errors.get(0).startsWith("error: " + message), r::output);
        assertFalse(r.output().contains("\tat "), r::output);
    }

    @Test
    void aDeviceTooSmallGivesTheOutOfMemoryLine() throws Exception {
        Scripts.Result r = train("ALEXNET_STANDIN_MEMORY", "2m");
        assertOneLineError(r, ExitCodes.FAILURE, "out of device memory: batch size 32 needs ");
        assertTrue(r.output().contains("2.0 MiB free"), r::output);
    }

    @Test
    void bf16OnComputeCapability75IsRefused() throws Exception {
        Scripts.Result r = train("ALEXNET_STANDIN_CC", "7.5", "--precision", "bf16");
        assertOneLineError(r, ExitCodes.USAGE, "--precision bf16 needs a GPU of compute capability 8.0 or newer; "
                + "alexnet-cuda host stand-in (no GPU), compute capability 7.5");
    }

    @Test
    void aRunUnderJniChecksCallsNoJniInsideACriticalRegion() throws Exception {
        Scripts.Result r = train(List.of("-Xcheck:jni"), "ALEXNET_STANDIN_CC", "9.0");
        assertEquals(0, r.code(), r::output);
        assertTrue(r.output().contains("Epoch 1/1: Train Loss="), r::output);
        // (The device's name reads empty here: JCuda's cuDeviceGetName releases the pinned array with JNI_ABORT, which
        // under the checks, that hand out a guarded copy, drops what the driver wrote. Without them it reads right.)
        assertFalse(r.output().contains("in the scope of Get/ReleasePrimitiveArrayCritical"), r::output);
        assertFalse(r.output().contains("FATAL ERROR in native method"), r::output);
    }
}
