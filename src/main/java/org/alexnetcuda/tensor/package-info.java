/**
 * The vocabulary every other package shares, at the bottom of the package levels: number formats
 * ({@link org.alexnetcuda.tensor.StorageFormat}, {@link org.alexnetcuda.tensor.Precision}), NCHW shapes
 * ({@link org.alexnetcuda.tensor.Shape}), host tensors ({@link org.alexnetcuda.tensor.Tensor}) and the model's
 * parameters in one block ({@link org.alexnetcuda.tensor.ParameterStore}, {@link org.alexnetcuda.tensor.Parameter}).
 * It depends on no other package of the project.
 */
package org.alexnetcuda.tensor;
