package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README stays a short front page that names CI's test command, and every relative link in README.md and
 * docs/ leads somewhere: the file exists and its #anchor is a heading there, by GitHub's slug rules.
 */
class DocsLinksTest {
    /** The README's size limit: what it is, its status, how to start; the rest belongs in docs/. */
    static final int README_MAX_BYTES = 12 * 1024;

    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void readmeIsShortAndNamesTheTestCommandCiRuns() throws IOException {
        long size = Files.size(Path.of("README.md"));
        assertTrue(size <= README_MAX_BYTES, "README.md is " + size + " bytes, more than " + README_MAX_BYTES
                + ": move the detail to a page under docs/");
        String command = "mvn -B verify";
        assertTrue(Files.readString(Path.of("README.md")).contains("```\n" + command + "\n```"),
                "README.md must state the test command `" + command + "` in a block of its own");
        assertTrue(Files.readAllLines(Path.of(".ci/run")).contains(command), ".ci/run must call " + command);
    }

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    /** Targets of inline links outside code blocks and code spans. */
    static List<String> links(Path md) throws IOException {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : Files.readAllLines(md)) {
            if (line.startsWith("```")) {
                fence = !fence;
                continue;
            }
            if (fence) {
                continue;
            }
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The anchors GitHub makes for a file's headings: lower case, punctuation dropped, spaces to '-', repeats -1, -2. */
    static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : Files.readAllLines(md)) {
            if (line.startsWith("```")) {
                fence = !fence;
                continue;
            }
            if (fence || !line.matches("^#{1,6} .*")) {
                continue;
            }
            String slug = slug(line.replaceFirst("^#+ ", "").replaceFirst("\\s+#+\\s*$", ""));
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1"); // a link in a heading counts by its text
        return text.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{Mn} _-]", "").replace(' ', '-');
    }

    @Test
    void slugsFollowGithub() {
        assertEquals("predict-and-plot", slug("`predict` and `plot`"));
        assertEquals("without-a-gpu-in-a-few-minutes", slug("Without a GPU, in a few minutes"));
        assertEquals("set-up-in-two-commands", slug("Set-up in two commands"));
        assertEquals("cuda-12-and-cuda-13", slug("CUDA 12 and CUDA 13"));
    }

    /** The architecture page's table of packages keeps up with the code: every package is named there. */
    @Test
    void architectureNamesEveryPackage() throws IOException {
        Path root = Path.of("src/main/java/org/alexnetcuda");
        String page = Files.readString(Path.of("docs/architecture.md"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(root)).toList()) {
                boolean hasCode;
                try (Stream<Path> files = Files.list(dir)) {
                    hasCode = files.anyMatch(f -> f.toString().endsWith(".java"));
                }
                String name = root.relativize(dir).toString().replace('\\', '/');
                if (hasCode && !page.contains("`" + name + "`")) {
                    missing.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "packages docs/architecture.md does not name (as `pkg/sub`): " + missing);
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path md : markdownFiles()) {
            for (String link : links(md)) {
                if (link.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                checked++;
                int hash = link.indexOf('#');
                String file = hash >= 0 ? link.substring(0, hash) : link;
                Path target = file.isEmpty() ? md : md.resolveSibling(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(md + ": " + link + " (no file " + target + ")");
                } else if (hash >= 0) {
                    String anchor = link.substring(hash + 1);
                    if (!target.toString().endsWith(".md") || !anchors(target).contains(anchor)) {
                        broken.add(md + ": " + link + " (no heading #" + anchor + " in " + target + ")");
                    }
                }
            }
        }
        assertTrue(checked >= 50, "too few links found: " + checked);
        assertTrue(broken.isEmpty(), () -> "broken links:\n" + String.join("\n", broken));
    }
}
