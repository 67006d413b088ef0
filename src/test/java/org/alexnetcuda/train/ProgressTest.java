package org.alexnetcuda.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Off a terminal, progress is plain periodic lines: images done, images/s, ETA and the running loss. */
class ProgressTest {
    @Test
    void plainLinesCarryRateEtaAndLoss() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (Progress p = Progress.plain("epoch 2/10", 300, out, 0)) {
            p.advance(100, 2.25);
            p.advance(100, Double.NaN);
            p.advance(100, 1.5); // done: no line for the last batch, the epoch line follows
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, buf::toString);
        assertTrue(lines[0].matches("  epoch 2/10 100/300 images, [\\d.]+ img/s, ETA \\d+:\\d\\d:\\d\\d, loss 2\\.2500"), lines[0]);
        assertTrue(lines[1].matches("  epoch 2/10 200/300 images, [\\d.]+ img/s, ETA \\d+:\\d\\d:\\d\\d"), lines[1]);
        assertFalse(buf.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void quietPrintsNothing() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = Progress.start("epoch 1/1", 10, new PrintStream(buf), true)) {
            p.advance(10, 1.0);
        }
        assertEquals(0, buf.size());
    }
}
