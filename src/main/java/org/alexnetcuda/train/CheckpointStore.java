package org.alexnetcuda.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of one run: the folder {@code RUN/checkpoints/}, one sub-folder per checkpoint named
 * {@code ckpt-s<step>-e<epoch>-b<batch>} (zero-padded), and the rules for keeping the last K and for finding the
 * one {@code --resume} means.
 */
public final class CheckpointStore {
    public static final String DIR = "checkpoints";
    private static final Pattern NAME = Pattern.compile("ckpt-s(\\d+)-e(\\d+)-b(\\d+)");
    /** Orders by step, then epoch, then batch: at one step an epoch-end checkpoint comes after a pending-eval one. */
    private static final Comparator<Path> ORDER = Comparator.<Path>comparingLong(p -> key(p)[0])
            .thenComparingLong(p -> key(p)[1]).thenComparingLong(p -> key(p)[2]);

    private final Path dir;

    public CheckpointStore(Path runDir) {
        this.dir = runDir.resolve(DIR);
    }

    public Path dir() {
        return dir;
    }

    /** The folder name of a checkpoint at this step and position. */
    public static String name(long step, TrainPosition p) {
        return String.format("ckpt-s%09d-e%04d-b%05d", step, p.epoch(), p.batch());
    }

    private static long[] key(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return new long[] {-1, -1, -1};
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    /** Complete checkpoints (those with a manifest), oldest first; temp and partly deleted folders are ignored. */
    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)
                        && CheckpointFiles.isComplete(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        out.sort(ORDER);
        return out;
    }

    /** The newest complete checkpoint, or null. */
    public Path latest() {
        List<Path> all = list();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Writes c as a new checkpoint, then removes the oldest beyond {@code keep}. A checkpoint of the same step and
     * position already there is left as it is (it holds the same weights). On failure nothing but the new
     * checkpoint's temp folder is touched, and that is removed.
     */
    public Path save(Checkpoint c, int keep) {
        Path target = dir.resolve(name(c.state().step(), c.state().position()));
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                AtomicFiles.syncDirectory(dir.toAbsolutePath().getParent()); // the new folder's entry survives a crash
            }
            removeLeftovers();
            if (!Files.exists(target)) {
                CheckpointFiles.write(target, c);
            }
        } catch (IOException | RuntimeException e) {
            throw new CheckpointWriteException("cannot write checkpoint " + target + ": " + describe(e)
                    + " (earlier checkpoints are untouched)", e);
        }
        prune(keep);
        return target;
    }

    /** Deletes the oldest complete checkpoints until {@code keep} remain; a failure only warns (training goes on). */
    void prune(int keep) {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Path old = all.get(i);
            try {
                // Rename first: a crash half-way through deleting must not leave a folder that looks complete.
                Path trash = dir.resolve(".trash-" + old.getFileName());
                Files.move(old, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.deleteRecursively(trash);
            } catch (IOException e) {
                System.err.println("warning: could not remove old checkpoint " + old + ": " + describe(e));
            }
        }
    }

    /** Temp folders of writes and deletions that a crash interrupted. Only called while this run holds the lock. */
    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(".tmp-ckpt-") || n.startsWith(".trash-ckpt-");
        })) {
            for (Path p : ds) {
                AtomicFiles.deleteRecursively(p);
            }
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            m = f.getReason();
        }
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /**
     * The checkpoint folder {@code --resume} means: a run folder (its newest complete checkpoint), its
     * {@code checkpoints} folder (the same), a checkpoint folder, or any file inside one.
     */
    public static Path resolve(Path given) {
        if (!Files.exists(given)) {
            throw new CheckpointException(given + ": no such file or folder");
        }
        if (Files.isRegularFile(given)) {
            String f = given.getFileName().toString();
            if (CheckpointFiles.DATA_FILES.contains(f) || f.equals(CheckpointFiles.MANIFEST)) {
                return given.toAbsolutePath().getParent();
            }
            throw new CheckpointException(given + ": not a checkpoint (give a run folder, a checkpoint folder or a file in one)");
        }
        if (Files.exists(given.resolve(CheckpointFiles.MANIFEST)) || Files.exists(given.resolve(CheckpointFiles.STATE))) {
            return given;
        }
        Path runDir = given.getFileName() != null && given.getFileName().toString().equals(DIR)
                ? given.toAbsolutePath().getParent() : given;
        CheckpointStore store = new CheckpointStore(runDir);
        Path latest = store.latest();
        if (latest == null) {
            throw new CheckpointException(given + ": holds no complete checkpoint (expected " + DIR + "/ckpt-*/"
                    + CheckpointFiles.MANIFEST + ")");
        }
        return latest;
    }

    /** A checkpoint read for --resume, eval or predict, and the folder it came from. */
    public record Found(Path dir, Checkpoint checkpoint) {
    }

    /**
     * Resolves {@code given} as {@link #resolve} does and reads the checkpoint. When the newest checkpoint of a run is
     * unreadable the error names the one before it, so the user can choose it explicitly (nothing is picked silently).
     */
    public static Found load(Path given) {
        Path dir = resolve(given);
        try {
            return new Found(dir, CheckpointFiles.read(dir));
        } catch (CheckpointException e) {
            Path run = runDirOf(dir);
            if (run != null && !dir.equals(given)) {
                List<Path> all = new CheckpointStore(run).list();
                int i = all.stream().map(Path::getFileName).toList().indexOf(dir.getFileName());
                if (i > 0) {
                    throw new CheckpointException(e.getMessage() + "; the checkpoint before it is " + all.get(i - 1));
                }
            }
            throw e;
        }
    }

    /** The run folder a checkpoint folder belongs to (RUN for RUN/checkpoints/ckpt-*), or null. */
    public static Path runDirOf(Path checkpoint) {
        Path parent = checkpoint.toAbsolutePath().normalize().getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals(DIR)) {
            return parent.getParent();
        }
        return null;
    }
}
