package org.alexnetcuda.data;

import java.util.SplittableRandom;

/** Fresh random datasets for tests: random pixels (never all zeros) and random labels. */
final class TestData {
    private TestData() {
    }

    static Cifar10Dataset random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] images = new byte[n * Cifar10Dataset.IMAGE_BYTES];
        byte[] labels = new byte[n];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) rng.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rng.nextInt(Cifar10Dataset.CLASSES);
        }
        return new Cifar10Dataset(images, labels);
    }
}
