package org.alexnetcuda.profile;

/**
 * --profile-steps: the training steps a profiler collects, {@code first..last}, 1-based and inclusive, counted
 * from the first step of the phase that profiles (train: the first step this process runs, whatever step a
 * resumed run starts at; bench: the first step after the warm-up). The engine runs these steps eagerly, not as
 * graph replays, so that every kernel sits under its layer's NVTX range, and brackets them with
 * cuProfilerStart / cuProfilerStop.
 */
public record ProfileSteps(int first, int last) {
    public ProfileSteps {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("--profile-steps must be A:B with 1 <= A <= B, or N >= 1 (got "
                    + first + ":" + last + ")");
        }
    }

    /** "A:B" (steps A to B) or "N" (steps 1 to N); IllegalArgumentException, a usage error, otherwise. */
    public static ProfileSteps parse(String s) {
        String v = s == null ? "" : s.trim();
        try {
            int colon = v.indexOf(':');
            if (colon < 0) {
                return new ProfileSteps(1, Integer.parseInt(v));
            }
            return new ProfileSteps(Integer.parseInt(v.substring(0, colon).trim()),
                    Integer.parseInt(v.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--profile-steps must be A:B (steps A to B) or N (steps 1 to N), got '"
                    + s + "'");
        }
    }

    public boolean contains(long step) {
        return step >= first && step <= last;
    }

    public int count() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + ":" + last;
    }
}
