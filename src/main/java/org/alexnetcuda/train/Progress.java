package org.alexnetcuda.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

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
    private final long plainInterval;
    private final String task;
    private final long total;
    private final long start = System.nanoTime();
    private long lastPlain = start;
    private long done;

    private Progress(String task, long total, ProgressBar bar, PrintStream plain, long plainInterval) {
        this.task = task;
        this.total = total;
        this.bar = bar;
        this.plain = plain;
        this.plainInterval = plainInterval;
    }

    /** Plain lines to log at most every intervalNanos (what a redirected run prints). */
    static Progress plain(String task, long totalImages, PrintStream log, long intervalNanos) {
        return new Progress(task, totalImages, null, log, intervalNanos);
    }

    /** A bar when stdout is a terminal and {@code quiet} is false; plain lines to {@code log} otherwise. */
    public static Progress start(String task, long totalImages, PrintStream log, boolean quiet) {
        if (quiet) {
            return new Progress(task, totalImages, null, null, 0);
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
            return new Progress(task, totalImages, bar, null, 0);
        }
        return plain(task, totalImages, log, PLAIN_INTERVAL_NANOS);
    }

    /** Records that {@code images} more images are done; {@code loss} is the running mean loss (NaN if unknown). */
    public void advance(long images, double loss) {
        done += images;
        if (bar != null) {
            bar.stepBy(images);
            if (!Double.isNaN(loss)) {
                bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
            }
        } else if (plain != null) {
            long now = System.nanoTime();
            if (now - lastPlain >= plainInterval && done < total) {
                lastPlain = now;
                double sec = (now - start) / 1e9;
                double rate = done / sec;
                long eta = (long) ((total - done) / Math.max(rate, 1e-9));
                String lossText = Double.isNaN(loss) ? "" : String.format(Locale.ROOT, ", loss %.4f", loss);
                plain.printf(Locale.ROOT, "  %s %d/%d images, %.1f img/s, ETA %s%s%n", task, done, total, rate,
                        format(Duration.ofSeconds(eta)), lossText);
            }
        }
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
