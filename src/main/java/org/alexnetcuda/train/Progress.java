package org.alexnetcuda.train;

import java.io.PrintStream;
import java.time.Duration;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of one pass over a dataset: a progress bar with images/s, ETA and running loss on a terminal,
 * plain lines every few seconds otherwise (a redirected log full of carriage returns helps no one).
 */
public final class Progress implements AutoCloseable {
    private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

    private final ProgressBar bar;
    private final PrintStream plain;
    private final String task;
    private final long total;
    private final long start = System.nanoTime();
    private long lastPlain = start;
    private long done;

    private Progress(String task, long total, ProgressBar bar, PrintStream plain) {
        this.task = task;
        this.total = total;
        this.bar = bar;
        this.plain = plain;
    }

    /** A bar when stdout is a terminal and {@code quiet} is false; plain lines to {@code log} otherwise. */
    public static Progress start(String task, long totalImages, PrintStream log, boolean quiet) {
        if (quiet) {
            return new Progress(task, totalImages, null, null);
        }
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(totalImages)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(120)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log))
                    .build();
            return new Progress(task, totalImages, bar, null);
        }
        return new Progress(task, totalImages, null, log);
    }

    /** Records that {@code images} more images are done; {@code loss} is the running mean loss (NaN if unknown). */
    public void advance(long images, double loss) {
        done += images;
        if (bar != null) {
            bar.stepBy(images);
            if (!Double.isNaN(loss)) {
                bar.setExtraMessage(String.format(" loss %.4f", loss));
            }
        } else if (plain != null) {
            long now = System.nanoTime();
            if (now - lastPlain >= PLAIN_INTERVAL_NANOS && done < total) {
                lastPlain = now;
                double sec = (now - start) / 1e9;
                double rate = done / sec;
                long eta = (long) ((total - done) / Math.max(rate, 1e-9));
                plain.printf("  %s %d/%d images, %.1f img/s, loss %.4f, ETA %s%n", task, done, total, rate, loss,
                        format(Duration.ofSeconds(eta)));
            }
        }
    }

    /** Whether the caller should fetch a fresh running loss (at most a few times a second on a bar). */
    public boolean wantsLoss() {
        return bar != null || plain != null;
    }

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
