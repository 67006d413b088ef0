package org.alexnetcuda.train;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code train --resume} continues: the newest checkpoint when there is one (its configuration records every
 * change a later session made), else, for a run stopped before its first checkpoint, the configuration recorded when
 * its folder was created, from which the run starts again at the beginning.
 *
 * @param runDir     the run folder, or null for a checkpoint folder outside one
 * @param checkpoint the checkpoint to continue from, or null
 * @param recorded   the recorded configuration when there is no checkpoint, else null
 */
public record ResumeSource(Path runDir, CheckpointStore.Found checkpoint, RunConfigFile recorded) {

    /**
     * Resolves --resume's argument: a run folder, its {@code checkpoints} folder or its config.json, a checkpoint
     * folder, or a file in one. CheckpointException (exit 2) when it holds neither a checkpoint nor a configuration.
     */
    public static ResumeSource find(Path given) {
        if (!Files.exists(given)) {
            throw new CheckpointException(given + ": no such file or folder (a run stopped before it created its run "
                    + "folder left nothing to resume; start it again)");
        }
        Path run = runFolderAsked(given);
        if (run != null && new CheckpointStore(run).latest() == null) {
            if (!RunConfigFile.exists(run)) {
                throw new CheckpointException(given + ": holds neither a checkpoint nor a run configuration (expected "
                        + CheckpointStore.DIR + "/ckpt-*/" + CheckpointFiles.MANIFEST + ", or the " + RunConfigFile.FILE
                        + " a run writes when it starts)");
            }
            return new ResumeSource(run, null, RunConfigFile.read(run));
        }
        CheckpointStore.Found found = CheckpointStore.load(given);
        return new ResumeSource(CheckpointStore.runDirOf(found.dir()), found, null);
    }

    /** The run folder when given names one (the folder, its checkpoints/ or its config.json), else null. */
    private static Path runFolderAsked(Path given) {
        String name = given.getFileName() == null ? "" : given.getFileName().toString();
        if (Files.isRegularFile(given)) {
            return name.equals(RunConfigFile.FILE) ? given.toAbsolutePath().getParent() : null;
        }
        if (Files.exists(given.resolve(CheckpointFiles.MANIFEST)) || Files.exists(given.resolve(CheckpointFiles.STATE))) {
            return null; // a checkpoint folder, complete or not: CheckpointStore says which
        }
        return name.equals(CheckpointStore.DIR) ? given.toAbsolutePath().getParent() : given;
    }

    /** The configuration the resumed run starts from, before the command line's changes. */
    public RunConfig config() {
        return checkpoint != null ? checkpoint.checkpoint().state().config() : recorded.config();
    }

    /** What the run continues from, for messages: the checkpoint folder or the configuration file. */
    public Path source() {
        return checkpoint != null ? checkpoint.dir() : runDir.resolve(RunConfigFile.FILE);
    }
}
