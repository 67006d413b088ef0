package org.alexnetcuda;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.alexnetcuda.tensor.Shape;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The packages of the application (src/main/java) depend on each other in one direction only, so that each can be
 * read and changed knowing only the ones below it. The levels, top to bottom; a package may use its own family
 * (the package and its sub-packages) and any level below its own, never one above, and never a sibling on its own
 * level:
 * <pre>
 *   1  cli                       the command line: parses options, wires everything below, prints
 *   2  train, predict            the training loop, checkpoints, reports, benchmark; inference on image files
 *   3  engine (.cpu, .cuda)      the engines: the Engine interface, the CPU engine's layers, the CUDA engine
 *   4  device (.host, .jcuda, .sim)   the GPU API the CUDA engine calls: JCuda, and the Java simulator of it
 *   5  kernels (.reference)      the project's CUDA kernels: descriptions, typed launchers, Java references
 *   6  model, data, profile      the network's description and weights; CIFAR-10; NVTX and the profiled steps
 *   7  math                      the reference math of each layer (Gemm, Conv2dMath, MaxPoolMath, LrnMath,
 *                                ReluMath, DropoutMath, SoftmaxCrossEntropy, Adam, CounterRng, Parallel)
 *   8  tensor                    number formats (StorageFormat, Precision), Shape, Tensor, the parameter block
 * </pre>
 * device sits above kernels: a device runs kernels (Device.kernels() is a KernelLauncher, JCuda loads their PTX, the
 * simulator runs their Java references), and kernels never see a device (a pointer is an Object to them, whose
 * nullness the memory decides). The CPU engine and the simulator share one implementation of each layer's math,
 * from math; engine.cpu's layers bind it to the parameter store and the CpuLayer interface.
 *
 * <p>Within a family the root package is the shared vocabulary of its sub-packages and does not depend on them
 * (engine does not use engine.cpu or engine.cuda), and no two packages anywhere form a cycle.
 *
 * <p>Checked twice: on the compiled classes with ArchUnit (every use, also fully qualified names in code), and on the
 * import lines of the sources (every import, also one only javadoc needs), so that a failure names the file and the
 * line.
 */
class ArchitectureTest {
    private static final String ROOT = "org.alexnetcuda";

    /** Top to bottom; the packages of one row are siblings. */
    private static final List<List<String>> LEVELS = List.of(
            List.of("cli"),
            List.of("train", "predict"),
            List.of("engine"),
            List.of("device"),
            List.of("kernels"),
            List.of("model", "data", "profile"),
            List.of("math"),
            List.of("tensor"));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.alexnetcuda\\.[\\w.]+)\\s*;");

    @Test
    void compiledClassesUseOnlyTheirFamilyAndLowerLevels() {
        classes().should(new ArchCondition<JavaClass>("use only their own package family and lower levels") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    String problem = problem(origin.getPackageName(), target.getPackageName());
                    if (problem != null) {
                        events.add(SimpleConditionEvent.violated(d, origin.getName() + " uses " + target.getName()
                                + ": " + problem + " [" + d.getDescription() + "]"));
                    }
                }
            }
        }).check(applicationClasses());
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(applicationClasses());
    }

    @Test
    void importLinesUseOnlyTheirFamilyAndLowerLevels() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the project root: no " + sources.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String from = sources.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(),
                    ".");
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = IMPORT.matcher(lines.get(i).trim());
                if (m.find()) {
                    String problem = problem(from, packageOf(m.group(1)));
                    if (problem != null) {
                        violations.add(file + ":" + (i + 1) + ": " + lines.get(i).trim() + "  -- " + problem);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), violations.size() + " import(s) against the package levels (see "
                + "ArchitectureTest's javadoc):\n  " + String.join("\n  ", violations));
    }

    private static JavaClasses applicationClasses() {
        return Holder.CLASSES;
    }

    /** The application's classes (where Shape was loaded from), imported once for the tests of this class. */
    private static final class Holder {
        static final JavaClasses CLASSES = load();

        private static JavaClasses load() {
            try {
                Path classes = Path.of(Shape.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPath(classes);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Why package {@code from} may not use package {@code to}, or null if it may. Packages outside the project are
     * free; a project package must sit on a level.
     */
    static String problem(String from, String to) {
        if (!inProject(from) || !inProject(to) || from.equals(to)) {
            return null;
        }
        String fromFamily = family(from);
        String toFamily = family(to);
        int fromLevel = level(fromFamily);
        int toLevel = level(toFamily);
        if (fromLevel < 0) {
            return "package " + from + " sits on no level: add " + fromFamily + " to ArchitectureTest.LEVELS";
        }
        if (toLevel < 0) {
            return "package " + to + " sits on no level: add " + toFamily + " to ArchitectureTest.LEVELS";
        }
        if (fromFamily.equals(toFamily)) {
            if (from.equals(ROOT + "." + fromFamily)) {
                return fromFamily + " must not use its sub-package " + to.substring(ROOT.length() + 1)
                        + " (the root of a family is the vocabulary its sub-packages share)";
            }
            return null;
        }
        if (toLevel == fromLevel) {
            return fromFamily + " and " + toFamily + " are siblings on level " + (fromLevel + 1)
                    + " and must not use each other";
        }
        if (toLevel < fromLevel) {
            return fromFamily + " (level " + (fromLevel + 1) + ") must not use " + toFamily + " (level "
                    + (toLevel + 1) + "), which sits above it";
        }
        return null;
    }

    private static boolean inProject(String pkg) {
        return pkg.startsWith(ROOT + ".");
    }

    /** org.alexnetcuda.engine.cpu -> engine. */
    private static String family(String pkg) {
        String rest = pkg.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static int level(String family) {
        for (int i = 0; i < LEVELS.size(); i++) {
            if (LEVELS.get(i).contains(family)) {
                return i;
            }
        }
        return -1;
    }

    /** The package of an imported name: org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES -> org.alexnetcuda.data. */
    private static String packageOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            if (pkg.length() > 0) {
                pkg.append('.');
            }
            pkg.append(part);
        }
        return pkg.toString();
    }
}
