/**
 * CIFAR-10 data: reading the official binary files ({@link org.alexnetcuda.data.Cifar10Reader}) into compact uint8
 * arrays ({@link org.alexnetcuda.data.Cifar10Dataset}), fetching them ({@link org.alexnetcuda.data.Cifar10Downloader}),
 * generating a learnable synthetic stand-in in the same format ({@link org.alexnetcuda.data.SyntheticCifar}), the
 * epoch's batch order ({@link org.alexnetcuda.data.EpochBatches}) and the float input pipeline
 * ({@link org.alexnetcuda.data.Preprocessing}, {@link org.alexnetcuda.data.Augment},
 * {@link org.alexnetcuda.data.BilinearResize}). User-fixable problems are {@link org.alexnetcuda.data.DataException}s
 * with one-line messages (CLI exit code 2).
 */
package org.alexnetcuda.data;
