package org.alexnetcuda.kernels;

import java.util.Arrays;
import java.util.List;

/**
 * One {@code extern "C" __global__} entry point of native-kernels/: its module (the .cu file, shipped as
 * {@code /ptx/<module>.ptx}), its name in the PTX, and its parameter list in order.
 *
 * <p>The launcher classes ({@link ReluKernels}, {@link DropoutKernels}, ...) declare one constant per kernel and
 * are the only Java code that knows a kernel's parameters; KernelSignatureTest checks every constant against
 * the committed PTX and against the host build.
 */
public record Kernel(String module, String name, List<ParamType> params) {

    public Kernel {
        params = List.copyOf(params);
    }

    public static Kernel of(String module, String name, ParamType... params) {
        return new Kernel(module, name, Arrays.asList(params));
    }

    /**
     * Checks that {@code args} fit the parameter list: the count and each argument's Java type (see
     * {@link ParamType#accepts}). Null is accepted for pointers only.
     *
     * @throws IllegalArgumentException naming the kernel and the first offending position
     */
    public void checkArguments(Object... args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException(this + " takes " + params.size() + " arguments, got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            ParamType t = params.get(i);
            Object a = args[i];
            boolean ok = a == null ? t == ParamType.PTR : t.accepts(a);
            if (!ok) {
                throw new IllegalArgumentException(this + " argument " + i + ": expected " + t + ", got "
                        + (a == null ? "null" : a.getClass().getSimpleName() + " " + a));
            }
        }
    }

    @Override
    public String toString() {
        return module + "." + name + params.stream().map(ParamType::runnerName).toList();
    }
}
