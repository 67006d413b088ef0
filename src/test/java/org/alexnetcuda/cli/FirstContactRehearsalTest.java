package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.alexnetcuda.gpu.GpuSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/gpu-first-contact.sh rehearsed on the simulator (DEVICE=sim), as its first command will run on the GPU
 * machine: every section runs and writes its file, headed by its name and ended by how it finished, so that no GPU
 * minute is spent on a script bug. PyTorch is hidden from the script's Python (a torch module that fails to import),
 * which keeps the rehearsal short and shows that a missing PyTorch costs its runs, not the command; the side-by-side
 * script itself is rehearsed with PyTorch by SideBySideScriptTest. The standin-tagged test runs the same command on
 * the host stand-in.
 */
class FirstContactRehearsalTest {
    private static final List<String> FIRST = List.of("00-host", "01-device", "02-suite", "03-epoch-fp32",
            "04-epoch-tf32", "05-ten-epochs", "06-side-by-side", "07-sanitizer-memcheck", "07-sanitizer-racecheck",
            "07-sanitizer-synccheck", "07-sanitizer-initcheck");

    @TempDir
    Path tmp;

    private Scripts.Result rehearse(Path out, int budget) throws Exception {
        return rehearse("sim", out, budget, Map.of());
    }

    private Scripts.Result rehearse(String device, Path out, int budget, Map<String, String> more) throws Exception {
        String python = Scripts.firstWorkingPython("/usr/bin/python3", "python3");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && python != null, "bash or python3 missing");
        Path hidden = Files.createDirectories(tmp.resolve("no-torch"));
        Files.writeString(hidden.resolve("torch.py"), "raise ImportError('torch hidden by the rehearsal test')\n");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "scripts/gpu-first-contact.sh");
        pb.environment().putAll(Map.of("DEVICE", device, "OUT", out.toString(), "BUDGET", String.valueOf(budget),
                "PYTHON", python, "PYTHONPATH", hidden.toString(), "ALEXNET", Scripts.alexnetOnClasspath(),
                "RUNS", tmp.resolve("runs").toString()));
        pb.environment().putAll(more);
        return Scripts.run(pb);
    }

    @Test
    void everySectionWritesItsFile() throws Exception {
        Path out = tmp.resolve("out");
        Scripts.Result r = rehearse(out, 470);
        assertEquals(0, r.code(), r.output());
        for (String s : FIRST) {
            List<String> lines = Files.readAllLines(out.resolve(s + ".log"));
            assertTrue(lines.get(0).startsWith("=== " + s + " ("), s + ": " + lines.get(0));
            String last = lines.get(lines.size() - 1);
            assertTrue(last.matches("--- " + s + ": (exit \\d+|timed out after \\d+ s \\(exit \\d+\\)), \\d+ s"),
                    s + " ends: " + last);
        }
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("REHEARSAL on the simulator: nothing here is a GPU result"), summary);
        assertEquals(FIRST.size() + 2, summary.strip().split("\n").length, summary);
        // The steps that decide the next slot did their work, not just ran.
        assertTrue(log(out, "01-device").contains("alexnet-cuda "), log(out, "01-device"));
        for (String s : List.of("03-epoch-fp32", "04-epoch-tf32")) {
            assertTrue(log(out, s).contains("Epoch 1/1: Train Loss="), log(out, s));
            assertTrue(log(out, s).contains("--- " + s + ": exit 0"), log(out, s));
        }
        assertTrue(log(out, "05-ten-epochs").contains("Epoch 10/10: Train Loss="), log(out, "05-ten-epochs"));
        assertTrue(log(out, "05-ten-epochs").contains("wall time of the process: "), log(out, "05-ten-epochs"));
        assertTrue(log(out, "06-side-by-side").contains("has no torch here"), log(out, "06-side-by-side"));
        try (Stream<Path> reports = Files.list(out.resolve("perf"))) {
            String md = Files.readString(reports.findFirst().orElseThrow());
            assertTrue(md.contains("DRY RUN, NOT A MEASUREMENT") && md.contains("### alexnet-tf32 (exit 0)")
                    && md.contains("pytorch-fp32-fast"), md);
        }
        assertTrue(log(out, "07-sanitizer-racecheck").contains("without compute-sanitizer"));
    }

    /** A budget too small for the plan: the steps that no longer fit are skipped, each still writes its file. */
    @Test
    void whatTheBudgetLeavesNoTimeForIsSkippedAndRecorded() throws Exception {
        Path out = tmp.resolve("short");
        Scripts.Result r = rehearse(out, 30);
        assertEquals(0, r.code(), r.output());
        for (String s : FIRST) {
            assertTrue(Files.exists(out.resolve(s + ".log")), s);
        }
        assertTrue(log(out, "07-sanitizer-initcheck").contains("skipped: no time left in this command"),
                log(out, "07-sanitizer-initcheck"));
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("07-sanitizer-initcheck skipped"));
    }

    /**
     * The same command on the host stand-in (Maven's standin execution sets ALEXNET_CUDA_LIB_PATH): the steps that
     * will train on the GPU run the GPU path itself, JCuda and our PTX included.
     */
    @Test
    @Tag("standin")
    void onTheHostStandinTheGpuStepsRunThroughJCuda() throws Exception {
        GpuSupport.open().close(); // skip where the stand-in was not built
        Path out = tmp.resolve("standin");
        // The suite step finds no suite (the standin execution has just run the GPU suite on the stand-in itself).
        Scripts.Result r = rehearse("standin", out, 470, Map.of("SUITE", tmp.resolve("no-suite").toString()));
        assertEquals(0, r.code(), r.output());
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("REHEARSAL on the host stand-in (no GPU): nothing here is a GPU result"), summary);
        assertTrue(log(out, "01-device").contains("GPU 0: alexnet-cuda host stand-in (no GPU)"), log(out, "01-device"));
        for (String s : List.of("03-epoch-fp32", "04-epoch-tf32", "07-sanitizer-memcheck")) {
            assertTrue(log(out, s).contains("CUDA engine on alexnet-cuda host stand-in (no GPU)"), log(out, s));
            assertTrue(log(out, s).contains("Epoch 1/1: Train Loss="), log(out, s));
            assertTrue(log(out, s).contains("--- " + s + ": exit 0"), log(out, s));
        }
        assertTrue(log(out, "05-ten-epochs").contains("Epoch 10/10: Train Loss="), log(out, "05-ten-epochs"));
    }

    private static String log(Path out, String section) throws Exception {
        return Files.readString(out.resolve(section + ".log"));
    }
}
