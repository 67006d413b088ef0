/**
 * CIFAR-10 data: reading the official binary files ({@link org.alexnetcuda.data.Cifar10Reader}) into compact uint8
 * arrays ({@link org.alexnetcuda.data.Cifar10Dataset}), fetching them ({@link org.alexnetcuda.data.Cifar10Downloader})
 * or unpacking a copy fetched by other means ({@link org.alexnetcuda.data.Cifar10Archive}), generating a learnable
 * synthetic stand-in in the same format ({@link org.alexnetcuda.data.SyntheticCifar}), the epoch's batch order
 * ({@link org.alexnetcuda.data.EpochBatches}) and the float input pipeline ({@link org.alexnetcuda.data.Preprocessing},
 * {@link org.alexnetcuda.data.Augment}, {@link org.alexnetcuda.data.BilinearResize}). User-fixable problems are
 * {@link org.alexnetcuda.data.DataException}s with one-line messages (CLI exit code 2); a download failing on the way
 * is a {@link org.alexnetcuda.data.DownloadException} (exit code 1).
 */
package org.alexnetcuda.data;
