package org.alexnetcuda.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The notebook network's FLOPs, against multiply-adds counted by hand from its shapes. */
class FlopCountTest {
    @Test
    void notebookNetworkAt227() {
        NetworkSpec spec = AlexNet.build(new ModelConfig(227, 10, LrnPlacement.CONV2, 0.5f), AlexNet.NOTEBOOK_WIDTHS);
        // Output pixels x output channels x (input channels x kernel area), then fc in x out.
        long[] macs = {55L * 55 * 96 * (3 * 11 * 11), 27L * 27 * 256 * (96 * 5 * 5), 13L * 13 * 384 * (256 * 3 * 3),
                13L * 13 * 384 * (384 * 3 * 3), 13L * 13 * 256 * (384 * 3 * 3), 9216L * 4096, 4096L * 4096, 4096L * 10};
        long forward = 0;
        for (long m : macs) {
            forward += 2 * m;
        }
        assertEquals(2_262_402_112L, forward);
        assertEquals(forward, spec.forwardFlopsPerSample());
        // Backward: weight and input gradients, each the forward's size, but conv1 has no input gradient.
        assertEquals(3 * forward - 2 * macs[0], FlopCount.trainPerImage(spec));
        assertEquals(6_576_375_936L, FlopCount.trainPerImage(spec));

        List<FlopCount.Layer> layers = FlopCount.perLayer(spec);
        assertEquals(spec.layers().size(), layers.size());
        assertEquals(new FlopCount.Layer("conv1", 2 * macs[0], 2 * macs[0]), layers.get(0));
        FlopCount.Layer conv2 = layers.stream().filter(l -> l.name().equals("conv2")).findFirst().orElseThrow();
        assertEquals(4 * macs[1], conv2.backward());
        assertEquals(0, layers.stream().filter(l -> l.name().equals("lrn2")).findFirst().orElseThrow().forward());
    }
}
