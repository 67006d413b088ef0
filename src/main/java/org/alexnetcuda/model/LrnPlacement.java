package org.alexnetcuda.model;

import java.util.Locale;

/**
 * Where LRN layers go. The notebook's text puts LRN after conv2's ReLU (before its pool) but its code has none;
 * the 2012 paper has it after conv1 and conv2.
 */
public enum LrnPlacement {
    NONE("none"), CONV2("conv2"), CONV1_CONV2("conv1,conv2");

    private final String option;

    LrnPlacement(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }

    public boolean after(int conv) {
        return switch (this) {
            case NONE -> false;
            case CONV2 -> conv == 2;
            case CONV1_CONV2 -> conv == 1 || conv == 2;
        };
    }

    /** Parses the --lrn option value. */
    public static LrnPlacement parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        for (LrnPlacement p : values()) {
            if (p.option.equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--lrn must be one of none, conv2, conv1,conv2 (got '" + s + "')");
    }

    @Override
    public String toString() {
        return option;
    }
}
