package org.alexnetcuda.device.standin;

import org.alexnetcuda.device.DevicePtr;

/**
 * The arguments of one C call as bridge.c passes them: 64-bit words holding integers, pointers and handles, or the
 * bits of a float or double; results go back into the same array.
 */
final class Words {
    private final String function;
    private final long[] words;

    Words(String function, long[] words) {
        this.function = function;
        this.words = words;
    }

    int count() {
        return words.length;
    }

    long word(int i) {
        if (i >= words.length) {
            throw new IllegalArgumentException(function + ": argument " + i + " of " + words.length
                    + " (the C side and the Java side disagree on this function's arguments)");
        }
        return words[i];
    }

    /** A C int (or unsigned int: its low 32 bits). */
    int i(int i) {
        return (int) word(i);
    }

    float f(int i) {
        return Float.intBitsToFloat((int) word(i));
    }

    double d(int i) {
        return Double.longBitsToDouble(word(i));
    }

    /** A device pointer: the simulator's address (0 is the null pointer). */
    DevicePtr ptr(int i) {
        return new DevicePtr(word(i));
    }

    void set(int i, long value) {
        word(i);
        words[i] = value;
    }

    void setFloat(int i, float value) {
        set(i, Float.floatToRawIntBits(value));
    }
}
