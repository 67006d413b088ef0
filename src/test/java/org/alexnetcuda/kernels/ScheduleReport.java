package org.alexnetcuda.kernels;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the host shim schedules ({@link HostKernelLauncher.Schedule}) of a failed test's launches. A kernel that
 * depends on the order of its blocks fails only under some schedules, usually as wrong output (an assertion in the
 * test, which knows nothing of schedules), so this is what makes such a failure reproducible: rerun the test with
 * {@code -Dkernels.shim.seed=S -Dkernels.shim.threads=K}, or the runner's command with those variables.
 * Registered with {@code @ExtendWith} on the classes that launch kernels on the host build.
 */
public final class ScheduleReport implements BeforeEachCallback, TestWatcher {
    private static final ThreadLocal<List<HostKernelLauncher.Launch>> LAUNCHES = ThreadLocal.withInitial(ArrayList::new);

    static void record(HostKernelLauncher.Launch launch) {
        List<HostKernelLauncher.Launch> launches = LAUNCHES.get();
        if (launches.size() >= 1000) {
            launches.remove(0);  // a class without the extension never clears its thread's list
        }
        launches.add(launch);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LAUNCHES.get().clear();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        List<HostKernelLauncher.Launch> launches = LAUNCHES.get();
        if (launches.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("Host kernel launches of the failed test " + context.getDisplayName()
                + " (block order seed and workers of each):");
        for (HostKernelLauncher.Launch l : launches) {
            b.append("\n  ").append(l);
        }
        b.append("\n(-Dkernels.shim.seed=S -Dkernels.shim.threads=K runs every launch under one schedule)");
        System.out.println(b);
        launches.clear();
    }
}
