package org.alexnetcuda.cli;

import org.alexnetcuda.profile.ProfileSteps;

import picocli.CommandLine.Option;

/** --nvtx and --profile-steps, shared by train and bench. */
final class ProfileOptions {
    @Option(names = "--nvtx",
            description = "NVTX ranges around each step, each layer's forward and backward, the data step, the loss "
                    + "and Adam, for Nsight Systems and Nsight Compute. Host-side: a replayed CUDA graph is one range "
                    + "per step (the layers' ranges mark only its capture); add --no-graph for per-layer ranges on "
                    + "every step.")
    boolean nvtx;

    @Option(names = "--profile-steps", paramLabel = "A:B|N",
            description = "Run training steps A to B (N: 1 to N) eagerly with NVTX ranges, between cuProfilerStart "
                    + "and cuProfilerStop, for nsys --capture-range=cudaProfilerApi or ncu --profile-from-start off. "
                    + "Counted from the first step of this process (bench: after the warm-up).")
    String profileSteps;

    /** The window, or null; IllegalArgumentException (exit 2) for a malformed value. */
    ProfileSteps window() {
        return profileSteps == null ? null : ProfileSteps.parse(profileSteps);
    }

    boolean requested() {
        return nvtx || profileSteps != null;
    }

    /** Refuses profiling on the CPU engine in one line: it issues no GPU work for a profiler to see. */
    void check(DeviceChoice device) {
        window();
        if (requested() && device == DeviceChoice.cpu) {
            throw new IllegalArgumentException("--nvtx and --profile-steps need the CUDA engine: --device gpu (or sim, "
                    + "which records the ranges); the CPU engine issues no GPU work to profile");
        }
    }
}
