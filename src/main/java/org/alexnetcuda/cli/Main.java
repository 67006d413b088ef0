package org.alexnetcuda.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.alexnetcuda.data.DataException;
import org.alexnetcuda.data.DownloadException;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.engine.cuda.OutOfDeviceMemoryException;
import org.alexnetcuda.model.WeightsException;
import org.alexnetcuda.train.CheckpointException;
import org.alexnetcuda.train.CheckpointWriteException;
import org.alexnetcuda.train.DivergedException;
import org.alexnetcuda.train.RunInterruptedException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: one subcommand per verb, picocli's conventions for --help, --version and exit codes. */
@Command(name = "alexnet-cuda", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "AlexNet on CIFAR-10 from Java: CUDA through JCuda, with a CPU reference engine.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, PlotCommand.class,
                SummaryCommand.class, BenchCommand.class, SynthCommand.class, DeviceCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:failure (diverged training, out of device memory, failed download, disk full or other I/O error, internal error)",
            "2:bad usage or input (options, dataset, weights or checkpoint file, run folder)",
            "3:no usable GPU (try --device cpu)",
            "130:interrupted"})
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an unexpected error, print the full stack trace.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (train, eval, predict, plot, summary, synth, device)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        // Charts and image decoding use AWT off-screen; without this a machine with no display fails at the first use.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::handleUsage);
        return cl.execute(args);
    }

    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
        return ExitCodes.USAGE;
    }

    /** Maps what went wrong to one line on stderr and an exit code; stack traces only with --verbose. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code = exitCode(e);
        if (code == ExitCodes.INTERRUPTED) {
            err.println(e.getMessage());
            return code;
        }
        if (code == UNEXPECTED) {
            code = ExitCodes.FAILURE;
            err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (verbose(parsed)) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the stack trace)");
            }
            return code;
        }
        err.println("error: " + e.getMessage());
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        return code;
    }

    /** Marks an exception nobody anticipated: exit 1 with its class name and a hint to --verbose. */
    private static final int UNEXPECTED = -1;

    /** The exit code for what went wrong; package-private for the tests. */
    static int exitCode(Exception e) {
        if (e instanceof RunInterruptedException) {
            return ExitCodes.INTERRUPTED;
        }
        if (e instanceof DataException || e instanceof WeightsException || e instanceof CheckpointException
                || e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof NoGpuException) {
            return ExitCodes.NO_GPU;
        }
        // A failed download is the network's or the server's doing, not the user's input: a failure, not bad usage.
        if (e instanceof DownloadException || e instanceof DivergedException || e instanceof OutOfDeviceMemoryException || e instanceof DeviceException
                || e instanceof CheckpointWriteException || e instanceof IOException
                || e instanceof java.io.UncheckedIOException) {
            return ExitCodes.FAILURE;
        }
        return UNEXPECTED;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        return parsed != null && parsed.hasMatchedOption("--verbose")
                || parsed != null && parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
    }

    /** Fails early, before hours of training, when a file cannot be written where asked. */
    static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || (Files.exists(dir) && !Files.isWritable(dir))) {
            throw new IllegalArgumentException("cannot write " + file + ": folder " + dir + " is not writable");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot write " + file + ": it is a folder");
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** --version: this program and the bindings it was built with. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"alexnet-cuda " + version(),
                    "JCuda 12.6.0, JCublas 12.6.0, JCudnn 11.7.0 API with 12.6.0 natives (cuDNN 9)"};
        }
    }
}
