package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stand-in of a CUDA 12 host (target/standin): libcublas.so.12, which JCublas links, used directly. */
@Tag("standin")
class StandinCuda12Test extends StandinTraining {
    /**
     * The README's stand-in example, run again here where its environment is set (DocsExamplesTest skips it): one
     * smaller epoch must print the lines the README shows, in order, numbers free to differ.
     */
    @Test
    void readmeExamplePrintsWhatTheReadmeShows() throws IOException {
        List<DocsExamplesTest.Example> shown = DocsExamplesTest.examples().stream()
                .filter(e -> e.environment().startsWith("ALEXNET_CUDA_LIB_PATH=") && !e.output().isEmpty()).toList();
        assertEquals(1, shown.size(), "the README shows one train --device gpu run on the stand-in");
        List<String> args = new ArrayList<>(shown.get(0).args());
        int runDir = args.indexOf("--run-dir");
        assertTrue(runDir > 0 && args.get(0).equals("train") && args.contains("gpu"), args::toString);
        args.set(runDir + 1, tmp.resolve("readme-run").toString());
        args.set(args.indexOf("--epochs") + 1, "1");
        args.set(args.indexOf("--limit-train") + 1, "64");
        args.set(args.indexOf("--limit-test") + 1, "32");
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r::err);
        List<String> printed = (r.out() + r.err()).lines().toList();
        assertEquals(DocsExamplesTest.shape(shown.get(0).output()), DocsExamplesTest.shape(printed), r::err);
    }

    @Test
    void deviceNamesTheStandinAndCublas12UsedDirectly() {
        CliTest.Run r = CliTest.run("device");
        assertEquals(0, r.code(), r::err);
        assertTrue(r.out().contains("GPU 0: alexnet-cuda host stand-in (no GPU), compute capability 9.0"), r::out);
        assertTrue(r.out().contains("host path: CUDA 12 libraries (cuBLAS 12 used directly)"), r::out);
        assertTrue(r.out().contains("cuBLAS: 12.6.0"), r::out);
        assertTrue(r.out().contains("cuDNN: 9.5.0"), r::out);
    }
}
