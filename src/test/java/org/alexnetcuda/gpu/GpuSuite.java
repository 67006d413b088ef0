package org.alexnetcuda.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The GPU suite (every test tagged {@code gpu}) without Maven, for the GPU machine, which has a Java runtime and
 * nothing else: scripts/gpu-suite.sh runs this class with the application jar, the test classes and JUnit's jars
 * on the class path. The same tests as {@code mvn verify -Pgpu}, one line per test (passed, failed with its
 * message, or skipped with the reason, such as the host diagnosis), JUnit's summary, and exit code 0 when nothing
 * failed, 1 otherwise.
 *
 * <p>Arguments: fully qualified test class names to run only those (their gpu-tagged tests); none for all the
 * GPU test classes.
 */
public final class GpuSuite {
    private GpuSuite() {
    }

    public static void main(String[] args) {
        List<DiscoverySelector> selectors = (args.length == 0 ? testClasses() : Arrays.asList(args)).stream()
                .map(c -> (DiscoverySelector) selectClass(c)).toList();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(TagFilter.includeTags("gpu"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary, new LinePerTest());
        TestExecutionSummary s = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printTo(out);
        s.printFailuresTo(out, 25);
        if (s.getTestsFoundCount() == 0) {
            out.println("gpu-suite: no tests tagged gpu were found on the class path");
            System.exit(1);
        }
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }

    /**
     * The GPU test classes beside this one (in the tests jar, or a class folder): those named Gpu...Test or
     * ...GpuTest, the convention every class tagged gpu follows ({@link SuiteDiscoveryTest} checks it). Listed with
     * java.util.zip rather than by JUnit's package scan, which needs the jdk.zipfs module, and only these are
     * loaded: the trimmed Java runtime of the GPU machine lacks modules that some CPU tests use (jdk.httpserver).
     */
    static List<String> testClasses() {
        try {
            Path where = Path.of(GpuSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.walk(where)) {
                    files.forEach(f -> entries.add(where.relativize(f).toString().replace('\\', '/')));
                }
            } else {
                try (ZipFile jar = new ZipFile(where.toFile())) {
                    jar.stream().forEach(e -> entries.add(e.getName()));
                }
            }
            return entries.stream()
                    .filter(e -> e.startsWith("org/alexnetcuda/") && e.endsWith("Test.class") && !e.contains("$"))
                    .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
                    .filter(GpuSuite::isGpuTestName)
                    .sorted()
                    .toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the test classes: " + e, e);
        }
    }

    /** The naming convention of GPU test classes: Gpu...Test or ...GpuTest. */
    static boolean isGpuTestName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.startsWith("Gpu") || simple.endsWith("GpuTest");
    }

    /** PASS / FAIL / SKIP and the test's name, as each test ends, with the reason of a failure or skip. */
    private static final class LinePerTest implements TestExecutionListener {
        private final java.util.Map<TestIdentifier, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id, System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            System.out.println("SKIP " + name(id) + ": " + reason);
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Long t0 = started.remove(id);
            if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
            String seconds = t0 == null ? "" : String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "PASS";
                case ABORTED -> "SKIP";
                case FAILED -> "FAIL";
            };
            String why = result.getThrowable()
                    .map(e -> ": " + (result.getStatus() == TestExecutionResult.Status.ABORTED ? e.getMessage() : e))
                    .orElse("");
            System.out.println(status + " " + name(id) + seconds + why);
        }

        /** Class.method, and the invocation's display name for a parameterized or repeated test. */
        private static String name(TestIdentifier id) {
            var source = id.getSource().orElse(null);
            if (source instanceof MethodSource m) {
                String cls = m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1);
                String base = cls + "." + m.getMethodName();
                return id.getDisplayName().startsWith(m.getMethodName()) ? base : base + " " + id.getDisplayName();
            }
            if (source instanceof ClassSource c) {
                return c.getClassName().substring(c.getClassName().lastIndexOf('.') + 1);
            }
            return id.getDisplayName();
        }
    }
}
