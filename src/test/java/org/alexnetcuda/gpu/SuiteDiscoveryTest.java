package org.alexnetcuda.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GpuSuite, the GPU suite's runner where Maven is not, finds GPU test classes by name without loading the others;
 * so every class tagged gpu must follow its naming convention, and every class it picks must be tagged gpu.
 */
class SuiteDiscoveryTest {
    @Test
    void everyGpuTaggedTestClassIsFoundByNameAndOnlyThose() throws Exception {
        List<String> all = new ArrayList<>();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(
                SuiteDiscoveryTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            files.map(java.nio.file.Path::toString).filter(f -> f.endsWith("Test.class") && !f.contains("$"))
                    .forEach(all::add);
        }
        assertTrue(all.size() > 50, "test classes found: " + all.size());
        List<String> tagged = new ArrayList<>();
        for (String f : all) {
            String name = f.substring(f.indexOf("org/alexnetcuda/")).replace(".class", "").replace('/', '.');
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            if (tagged(c)) {
                tagged.add(name);
            }
        }
        List<String> byName = GpuSuite.testClasses();
        assertEquals(tagged.stream().sorted().toList(), byName,
                "classes tagged gpu vs classes GpuSuite picks by name (Gpu...Test or ...GpuTest)");
        assertTrue(byName.contains("org.alexnetcuda.engine.cuda.MixedPrecisionGpuTest"), byName::toString);
    }

    private static boolean tagged(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (Arrays.stream(k.getAnnotationsByType(Tag.class)).anyMatch(t -> t.value().equals("gpu"))) {
                return true;
            }
        }
        return false;
    }
}
