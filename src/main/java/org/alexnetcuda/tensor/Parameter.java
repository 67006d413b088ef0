package org.alexnetcuda.tensor;

import java.util.Arrays;

/**
 * One named parameter tensor as a view into the model's single parameter block.
 *
 * @param name   the PyTorch state_dict name, e.g. {@code net.0.weight}
 * @param dims   its PyTorch shape: conv weights OIHW, linear weights [out, in], biases [out]
 * @param offset first element in {@link ParameterStore#values} (and grads, Adam moments)
 */
public record Parameter(String name, int[] dims, int offset) {

    public Parameter {
        dims = dims.clone();
    }

    public int size() {
        int s = 1;
        for (int d : dims) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public String dimsString() {
        return Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameter p && p.name.equals(name) && Arrays.equals(p.dims, dims) && p.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + offset;
    }

    @Override
    public String toString() {
        return name + dimsString() + "@" + offset;
    }
}
