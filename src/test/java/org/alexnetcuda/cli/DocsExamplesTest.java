package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The examples in README.md and docs/ are pasted from real runs; this keeps them true. Every
 * {@code java -jar target/alexnet-cuda.jar ...} line in a fenced block must still parse (command and options exist),
 * and every {@code $ java -jar ...} example followed by its output that needs no GPU is run again in-process and
 * must print the same lines in the same order: same count, same first word on each line, with numbers, paths and
 * the number of epochs free to differ. Runs are made small (a few images, one epoch, one bench step) to stay cheap.
 */
class DocsExamplesTest {
    static final String JAR = "java -jar target/alexnet-cuda.jar";

    @TempDir
    Path tmp;

    /**
     * A command shown in a fenced block, with the output shown after it (empty when none is shown) and the
     * environment variables the shown line sets before {@code java} (empty when none).
     */
    record Example(Path file, int line, List<String> args, List<String> output, Integer shownExitCode,
            String environment) {
        String where() {
            return file + ":" + line + " `" + String.join(" ", args) + "`";
        }
    }

    /** Every command line in the fenced blocks of README.md and docs/**.md. */
    static List<Example> examples() throws IOException {
        List<Example> all = new ArrayList<>();
        for (Path md : DocsLinksTest.markdownFiles()) {
            List<String> lines = Files.readAllLines(md);
            boolean fence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    fence = !fence;
                    continue;
                }
                if (!fence || !line.contains(JAR)) {
                    continue;
                }
                List<String> args = commandArgs(line);
                if (!line.startsWith("$ ")) {
                    all.add(new Example(md, i + 1, args, List.of(), null, ""));
                    continue;
                }
                List<String> out = new ArrayList<>();
                Integer code = null;
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).startsWith("```") && !lines.get(j).startsWith("$ "); j++) {
                    out.add(lines.get(j));
                }
                if (j + 1 < lines.size() && lines.get(j).equals("$ echo $?")) {
                    code = Integer.parseInt(lines.get(j + 1).trim());
                }
                String environment = line.substring(2, line.indexOf(JAR)).trim();
                all.add(new Example(md, i + 1, args, out, code, environment));
            }
        }
        return all;
    }

    /** The arguments after the jar: a trailing comment, a line continuation and anything after && dropped. */
    static List<String> commandArgs(String line) {
        String rest = line.substring(line.indexOf(JAR) + JAR.length());
        for (String end : new String[] {" # ", " && ", " \\"}) {
            int k = rest.indexOf(end);
            if (k >= 0) {
                rest = rest.substring(0, k);
            }
        }
        List<String> args = new ArrayList<>();
        for (String t : rest.trim().split("\\s+")) {
            if (t.isEmpty()) {
                continue;
            }
            // Placeholders: "[--json]" is optional, "cpu|sim|gpu" and "DIR|FILE" are alternatives (take the first).
            t = t.replace("[", "").replace("]", "");
            if (t.contains("|")) {
                t = t.substring(0, t.indexOf('|'));
            }
            args.add(t);
        }
        return args;
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    @Test
    void everyCommandShownStillParses() throws IOException {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 15, "too few examples found: " + examples.size());
        List<String> failures = new ArrayList<>();
        for (Example e : examples) {
            try {
                CommandLine.ParseResult r = commandLine().parseArgs(e.args().toArray(String[]::new));
                if (!r.hasSubcommand()) {
                    failures.add(e.where() + ": no command");
                }
            } catch (CommandLine.ParameterException ex) {
                failures.add(e.where() + ": " + ex.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> "commands in the docs that no longer parse:\n" + String.join("\n", failures));
    }

    @Test
    void examplesThatNeedNoGpuPrintWhatTheDocsShow() throws IOException {
        List<Example> withOutput = examples().stream().filter(e -> !e.output().isEmpty()).toList();
        Path synth = tmp.resolve("synth");
        Files.createDirectories(synth);
        try (Stream<Path> files = Files.list(Path.of("test-data/synth-small"))) {
            for (Path f : files.toList()) {
                Files.copy(f, synth.resolve(f.getFileName()));
            }
        }
        boolean noGpu = CliTest.run("device").code() == ExitCodes.NO_GPU;
        Set<String> checked = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        // CPU training first: eval, predict and plot use what it leaves.
        List<Example> ordered = new ArrayList<>(withOutput.stream().filter(DocsExamplesTest::isCpuTraining).toList());
        withOutput.stream().filter(e -> !isCpuTraining(e)).forEach(ordered::add);
        for (Example e : ordered) {
            if (!e.environment().isEmpty()) {
                continue; // run where that environment is set: the stand-in's example in StandinCuda12Test
            }
            List<String> args = mapPaths(e.args());
            String verb = args.get(0);
            boolean cpu = "cpu".equals(option(args, "--device"));
            switch (verb) {
                case "summary", "synth", "plot" -> { }
                case "device" -> {
                    if (!noGpu) {
                        continue;
                    }
                }
                case "train" -> {
                    if (args.contains("--download") || args.contains("--resume") || !(cpu || noGpu)) {
                        continue; // needs the network, a run to resume, or would train on this machine's GPU
                    }
                    if (cpu) {
                        // One small epoch: the shape of the output does not depend on the size of the run.
                        setOption(args, "--epochs", "1");
                        setOption(args, "--batch-size", "16");
                        setOption(args, "--limit-train", "16");
                        setOption(args, "--limit-test", "16");
                    }
                }
                case "eval" -> {
                    if (!cpu) {
                        continue;
                    }
                    setOption(args, "--limit-test", "16");
                }
                case "predict" -> {
                    if (!cpu) {
                        continue;
                    }
                    writeImagesNamedIn(e.output());
                }
                case "bench" -> {
                    if (!cpu) {
                        continue;
                    }
                    setOption(args, "--warmup", "0");
                    setOption(args, "--steps", "1");
                }
                default -> {
                    continue;
                }
            }
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            checked.add(verb + (cpu ? " --device cpu" : ""));
            String printed = r.code() == 0 ? r.out() + r.err() : r.err() + r.out();
            if (e.shownExitCode() != null && e.shownExitCode() != r.code()) {
                failures.add(e.where() + ": exit code " + r.code() + ", the docs show " + e.shownExitCode());
            } else if (e.shownExitCode() == null && r.code() != 0 && !e.output().get(0).startsWith("error:")) {
                failures.add(e.where() + ": exit code " + r.code() + ": " + printed);
            }
            List<String> shown = shape(e.output());
            List<String> now = shape(printed.lines().toList());
            if (!shown.equals(now)) {
                failures.add(e.where() + ": output no longer has the shape the docs show"
                        + "\n  docs: " + shown + "\n  now:  " + now + "\n  printed:\n" + printed);
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        // The docs must keep showing real runs of these; otherwise this test would silently check nothing.
        Set<String> expected = new LinkedHashSet<>(List.of("summary", "synth", "train --device cpu", "eval --device cpu",
                "predict --device cpu", "plot", "bench --device cpu"));
        if (noGpu) {
            expected.addAll(List.of("device", "train"));
        }
        expected.removeAll(checked);
        assertTrue(expected.isEmpty(), "no example with output found for: " + expected);
    }

    private static boolean isCpuTraining(Example e) {
        return e.args().get(0).equals("train") && "cpu".equals(option(e.args(), "--device"));
    }

    /** Example paths under /tmp go to this test's temporary folder. */
    private List<String> mapPaths(List<String> args) {
        return args.stream().map(a -> a.startsWith("/tmp/") ? tmp.resolve(a.substring(5)).toString() : a)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }

    private static void setOption(List<String> args, String name, String value) {
        int i = args.indexOf(name);
        if (i >= 0) {
            args.set(i + 1, value);
        } else {
            args.add(name);
            args.add(value);
        }
    }

    private static final Pattern SHOWN_FILE = Pattern.compile("^(/tmp/\\S+\\.(png|jpg|jpeg)):");

    /** The images a predict example shows, as small PNG files of noise under the same names. */
    private void writeImagesNamedIn(List<String> output) throws IOException {
        Random rnd = new Random(1);
        for (String line : output) {
            Matcher m = SHOWN_FILE.matcher(line);
            if (m.find()) {
                Path p = tmp.resolve(m.group(1).substring(5));
                Files.createDirectories(p.getParent());
                BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 48; y++) {
                    for (int x = 0; x < 48; x++) {
                        img.setRGB(x, y, rnd.nextInt(0x1000000));
                    }
                }
                ImageIO.write(img, "png", p.toFile());
            }
        }
    }

    private static final Pattern PROGRESS = Pattern.compile("^\\s+epoch \\d+/\\d+ \\d+/\\d+ images.*");

    /**
     * What must stay the same between a shown output and a new run: the first word of every line, in order. Numbers
     * (a first word starting with a digit has its digits replaced) and paths may differ; timed progress lines are
     * dropped; a repeated pair of lines (one epoch's result and its time) counts once, so a shorter run matches.
     */
    static List<String> shape(List<String> lines) {
        List<String> keys = new ArrayList<>();
        for (String line : lines) {
            if (PROGRESS.matcher(line).matches()) {
                continue;
            }
            String first = line.isBlank() ? "" : line.trim().split("\\s+")[0];
            if (!first.isEmpty() && Character.isDigit(first.charAt(0))) {
                first = first.replaceAll("\\d+", "#");
            } else if (first.contains("/")) {
                first = "<path>";
            }
            keys.add(first);
        }
        for (int i = 0; i + 3 < keys.size(); ) {
            if (keys.get(i).equals(keys.get(i + 2)) && keys.get(i + 1).equals(keys.get(i + 3))
                    && !keys.get(i).equals(keys.get(i + 1))) {
                keys.remove(i + 2);
                keys.remove(i + 2);
            } else {
                i++;
            }
        }
        return keys;
    }

    @Test
    void shapeIgnoresNumbersPathsAndEpochCountButNotWords() {
        List<String> a = List.of("Epoch 1/3: Train Loss=2.1", "  33.4 s, 31.2 images/s", "Epoch 2/3: Train Loss=1.4",
                "  28.6 s, 39.3 images/s", "  epoch 3/3 448/1000 images, 35.3 img/s", "/tmp/x: 1", "");
        List<String> b = List.of("Epoch 1/1: Train Loss=2.3", "  7.9 s, 2.3 images/s", "/other/y: 2", "");
        assertEquals(shape(a), shape(b));
        assertFalse(shape(List.of("Test Loss=1")).equals(shape(List.of("Loss=1"))));
        assertFalse(shape(List.of("a", "b")).equals(shape(List.of("a"))));
    }

    @Test
    void placeholdersInCommandsBecomeArguments() {
        assertEquals(List.of("bench", "--device", "cpu", "--json"),
                commandArgs("java -jar target/alexnet-cuda.jar bench --device cpu|sim|gpu [--json]    # comment"));
        assertEquals(List.of("train", "--download"),
                commandArgs("mvn -B package -DskipTests && java -jar target/alexnet-cuda.jar train --download"));
        if (commandArgs("    java -jar target/alexnet-cuda.jar summary \\").size() != 1) {
            fail("line continuation kept");
        }
    }
}
