package org.alexnetcuda.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameters of a model in one contiguous block, in state_dict order, with gradients beside them in a
 * second block of the same layout. One block means one Adam pass over the whole model, on the CPU as on the GPU
 * (the GPU engine mirrors this layout in device memory).
 */
public final class ParameterStore {
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    /** Parameter values, every parameter at its offset. */
    public final float[] values;
    /** Gradients, same layout; layers accumulate (+=) into them, the engine zeroes them before each step. */
    public final float[] grads;

    private ParameterStore(List<Parameter> parameters, int total) {
        this.parameters = Collections.unmodifiableList(parameters);
        for (Parameter p : parameters) {
            byName.put(p.name(), p);
        }
        this.values = new float[total];
        this.grads = new float[total];
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return p;
    }

    public int size() {
        return values.length;
    }

    public void zeroGrads() {
        java.util.Arrays.fill(grads, 0f);
    }

    /** Builds a store by declaring parameters in order. */
    public static final class Builder {
        private final List<Parameter> list = new ArrayList<>();
        private int next;

        public Parameter add(String name, int... dims) {
            Parameter p = new Parameter(name, dims, next);
            next = Math.addExact(next, p.size());
            list.add(p);
            return p;
        }

        public ParameterStore build() {
            return new ParameterStore(new ArrayList<>(list), next);
        }
    }
}
