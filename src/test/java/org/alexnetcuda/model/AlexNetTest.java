package org.alexnetcuda.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.alexnetcuda.tensor.Shape;
import org.junit.jupiter.api.Test;

class AlexNetTest {

    private static final NetworkSpec NOTEBOOK = AlexNet.build(ModelConfig.NOTEBOOK);

    @Test
    void parameterCountsMatchTheNotebook() {
        List<NetworkSpec.ParamSpec> p = NOTEBOOK.parameters();
        assertEquals(58_322_314L, NOTEBOOK.parameterCount());
        // conv1: 96*3*11*11 + 96, as the notebook's table printed.
        assertEquals(34_944L, p.get(0).size() + p.get(1).size());
        // The other layers of the notebook's table: net.3 614,656; net.6 885,120; net.8 1,327,488; net.10 884,992.
        assertEquals(614_656L, p.get(2).size() + p.get(3).size());
        assertEquals(885_120L, p.get(4).size() + p.get(5).size());
        assertEquals(1_327_488L, p.get(6).size() + p.get(7).size());
        assertEquals(884_992L, p.get(8).size() + p.get(9).size());
    }

    @Test
    void parameterNamesAndShapesAreTheNotebookStateDict() {
        List<NetworkSpec.ParamSpec> p = NOTEBOOK.parameters();
        String[] names = {"net.0", "net.3", "net.6", "net.8", "net.10", "net.14", "net.17", "net.20"};
        assertEquals(16, p.size());
        for (int i = 0; i < names.length; i++) {
            assertEquals(names[i] + ".weight", p.get(2 * i).name());
            assertEquals(names[i] + ".bias", p.get(2 * i + 1).name());
        }
        assertArrayEquals(new int[] {96, 3, 11, 11}, p.get(0).dims());
        assertArrayEquals(new int[] {4096, 9216}, p.get(10).dims());
        assertArrayEquals(new int[] {10, 4096}, p.get(14).dims());
        assertArrayEquals(new int[] {10}, p.get(15).dims());
    }

    @Test
    void shapesAt227() {
        List<Shape> out = NOTEBOOK.outputShapes(64);
        assertEquals(new Shape(64, 96, 55, 55), out.get(0)); // conv1
        assertEquals(new Shape(64, 96, 27, 27), shapeOf("pool1", 64));
        assertEquals(new Shape(64, 256, 13, 13), shapeOf("pool2", 64));
        assertEquals(new Shape(64, 384, 13, 13), shapeOf("conv4", 64));
        assertEquals(new Shape(64, 256, 6, 6), shapeOf("pool5", 64));
        assertEquals(Shape.vector(64, 9216), shapeOf("flatten", 64));
        assertEquals(Shape.vector(64, 10), NOTEBOOK.outputShape(64));
    }

    private static Shape shapeOf(String layer, int batch) {
        List<Shape> out = NOTEBOOK.outputShapes(batch);
        for (int i = 0; i < out.size(); i++) {
            if (NOTEBOOK.layers().get(i).name().equals(layer)) {
                return out.get(i);
            }
        }
        throw new AssertionError("no layer " + layer);
    }

    @Test
    void lrnPlacementFollowsTheOption() {
        assertEquals(List.of("relu2", "lrn2", "pool2"), names(AlexNet.build(ModelConfig.NOTEBOOK)).subList(4, 7));
        NetworkSpec none = AlexNet.build(new ModelConfig(227, 10, LrnPlacement.NONE, 0.5f));
        assertTrue(names(none).stream().noneMatch(n -> n.startsWith("lrn")));
        NetworkSpec both = AlexNet.build(new ModelConfig(227, 10, LrnPlacement.CONV1_CONV2, 0.5f));
        assertEquals(List.of("conv1", "relu1", "lrn1", "pool1"), names(both).subList(0, 4));
        // LRN has no parameters, so the names stay the notebook's whatever the placement.
        assertEquals(NOTEBOOK.parameterCount(), both.parameterCount());
        assertEquals(LrnPlacement.CONV1_CONV2, LrnPlacement.parse("conv1, conv2"));
        assertThrows(IllegalArgumentException.class, () -> LrnPlacement.parse("conv3"));
    }

    private static List<String> names(NetworkSpec s) {
        return s.layers().stream().map(LayerSpec::name).toList();
    }

    @Test
    void smallestInputSizeIsTheFirstWithNoEmptyLayer() {
        int smallest = AlexNet.smallestInputSize(ModelConfig.NOTEBOOK);
        assertEquals(65, smallest);
        assertNull(AlexNet.build(new ModelConfig(smallest, 10, LrnPlacement.CONV2, 0.5f)).firstEmptyLayer(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AlexNet.buildChecked(new ModelConfig(smallest - 1, 10, LrnPlacement.CONV2, 0.5f)));
        assertTrue(e.getMessage().contains("smallest valid input size is " + smallest), e.getMessage());
        assertTrue(e.getMessage().contains("pool5"), e.getMessage());
    }

    @Test
    void fcInputFollowsTheInputSize() {
        NetworkSpec small = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f));
        assertEquals(Shape.vector(1, 256), small.inputShapes(1).get(indexOf(small, "fc6")));
        assertArrayEquals(new int[] {4096, 256}, small.parameters().get(10).dims());
    }

    private static int indexOf(NetworkSpec s, String name) {
        return names(s).indexOf(name);
    }

    @Test
    void forwardFlopsPerImage() {
        // About 2.26 GFLOP per 227x227 image forward (multiply-add counted as two).
        double gflop = NOTEBOOK.forwardFlopsPerSample() / 1e9;
        assertTrue(gflop > 2.2 && gflop < 2.3, "GFLOP " + gflop);
    }

    @Test
    void rejectsImpossibleOptions() {
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(227, 1, LrnPlacement.CONV2, 0.5f));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(227, 10, LrnPlacement.CONV2, 1f));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(227, 10, LrnPlacement.CONV2, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(0, 10, LrnPlacement.CONV2, 0.5f));
    }
}
