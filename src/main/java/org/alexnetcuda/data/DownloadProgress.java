package org.alexnetcuda.data;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Reports bytes received: a terminal progress bar, plain lines (logs, pipes), or nothing. */
public abstract class DownloadProgress implements AutoCloseable {
    /** AUTO: a bar when the JVM has a console, plain lines otherwise. */
    public enum Mode { AUTO, BAR, LINES, NONE }

    private static final long MIB = 1L << 20;

    /** Called once with the expected byte count, -1 when the server did not say. */
    public abstract void start(long totalBytes);

    public abstract void advance(long bytes);

    @Override
    public abstract void close();

    public static DownloadProgress create(Mode mode, String task, PrintStream lines) {
        Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
        return switch (m) {
            case BAR -> new Bar(task);
            case LINES -> new Lines(task, lines);
            default -> new None();
        };
    }

    private static final class None extends DownloadProgress {
        @Override
        public void start(long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void close() {
        }
    }

    /** me.tongfei progressbar on the console, in MiB with speed and ETA. */
    private static final class Bar extends DownloadProgress {
        private final String task;
        private ProgressBar bar;

        Bar(String task) {
            this.task = task;
        }

        @Override
        public void start(long totalBytes) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes).setUnit("MiB", MIB)
                    .showSpeed().setUpdateIntervalMillis(250).build();
        }

        @Override
        public void advance(long bytes) {
            bar.stepBy(bytes);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** One line per 10% (per 16 MiB when the size is unknown), then a final line. */
    private static final class Lines extends DownloadProgress {
        private final String task;
        private final PrintStream out;
        private long total = -1;
        private long done;
        private long nextReport;

        Lines(String task, PrintStream out) {
            this.task = task;
            this.out = out;
        }

        private long step() {
            return total > 0 ? Math.max(1, total / 10) : 16 * MIB;
        }

        @Override
        public void start(long totalBytes) {
            total = totalBytes;
            nextReport = step();
            out.println(task + ": " + (total >= 0 ? mib(total) + " MiB" : "size unknown"));
        }

        @Override
        public void advance(long bytes) {
            done += bytes;
            if (done >= nextReport && (total < 0 || done < total)) {
                out.println(total > 0
                        ? String.format(Locale.ROOT, "%s: %d%% (%s of %s MiB)", task, done * 100 / total, mib(done), mib(total))
                        : task + ": " + mib(done) + " MiB");
                nextReport = (done / step() + 1) * step();
            }
        }

        @Override
        public void close() {
            out.println(task + ": " + mib(done) + " MiB received");
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f", bytes / (double) MIB);
        }
    }
}
