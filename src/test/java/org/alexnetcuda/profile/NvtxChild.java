package org.alexnetcuda.profile;

import java.nio.file.Path;

/**
 * The child JVM of {@link NvtxJvmTest}: enables NVTX (the packaged library, or the one at args[0]), opens two
 * nested ranges, marks, closes them, and prints what each call returned.
 */
public final class NvtxChild {
    private NvtxChild() {
    }

    public static void main(String[] args) {
        boolean on = args.length > 0 ? Nvtx.enable(Path.of(args[0])) : Nvtx.enable();
        System.out.println("enabled " + on + " status " + Nvtx.status());
        System.out.println("push returned " + Nvtx.push("train step 7"));
        System.out.println("push returned " + Nvtx.push("conv2 backward"));
        Nvtx.mark("checkpoint");
        System.out.println("pop returned " + Nvtx.pop());
        System.out.println("pop returned " + Nvtx.pop());
        Nvtx.disable();
        System.out.println("off push returned " + Nvtx.push("ignored"));
    }
}
