package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/side-by-side.sh as a dry run (DEVICE=sim: alexnet-cuda on the simulator, PyTorch on the CPU) at a small
 * shape: both programs run for both precisions and the report has its parts. Where no Python with torch is found,
 * the PyTorch runs fail and the report must still be written, marked incomplete, and the script exit 1.
 */
class SideBySideScriptTest {
    @TempDir
    Path out;

    @Test
    void dryRunWritesTheReport() throws Exception {
        Path bash = Path.of("/bin/bash");
        String python = Scripts.firstWorkingPython("/usr/bin/python3", "python3");
        Assumptions.assumeTrue(Files.isExecutable(bash) && python != null, "bash or python3 missing");
        boolean torch = Scripts.run(List.of(python, "-c", "import torch")).code() == 0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(bash.toString(), "bench/side-by-side.sh");
        pb.environment().putAll(Map.of("DEVICE", "sim", "INPUT", "67", "BATCH", "2", "STEPS", "1", "WARMUP",
                "0", "OUT_DIR", out.toString(), "PYTHON", python, "JAVA", java,
                "ALEXNET", Scripts.alexnetOnClasspath()));
        Scripts.Result r = Scripts.run(pb);
        assertEquals(torch ? 0 : 1, r.code(), r.output());
        List<Path> reports;
        try (Stream<Path> s = Files.list(out)) {
            reports = s.toList();
        }
        assertEquals(1, reports.size(), reports::toString);
        assertTrue(reports.get(0).getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\d-simulator\\.md"),
                reports.get(0).toString());
        String md = Files.readString(reports.get(0));
        for (String s : new String[] {"DRY RUN, NOT A MEASUREMENT", "## Host", "### fp32", "### tf32",
                "| training images/s |", "Largest gap to the FLOP floor", "### alexnet-fp32 (exit 0)",
                "### alexnet-tf32 (exit 0)", "bench --device sim --precision tf32", "\"precision\":\"tf32\"",
                "pytorch_alexnet.py --device cpu --precision fp32"}) {
            assertTrue(md.contains(s), () -> "missing '" + s + "' in\n" + md);
        }
        if (torch) {
            assertTrue(md.contains("alexnet-cuda / PyTorch"), md);
            assertTrue(md.contains("Training images/s at least PyTorch's"), md);
        } else {
            assertTrue(md.contains("incomplete"), md);
        }
    }
}
