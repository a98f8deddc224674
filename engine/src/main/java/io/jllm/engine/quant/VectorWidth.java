package io.jllm.engine.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width every kernel computes with, chosen once per JVM. By default the widest the CPU runs natively,
 * capped at 512 bits; the system property {@value #PROPERTY} (128, 256 or 512) forces a narrower one, so tests can
 * check every width on one machine. A width the CPU cannot run natively is refused rather than emulated: the
 * Vector API would silently fall back to scalar Java, thousands of times slower.
 */
public final class VectorWidth {

    /** The system property that selects the width in bits. */
    public static final String PROPERTY = "jllm.vector.bits";

    /** The float species of the chosen width. */
    public static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(choose(System.getProperty(PROPERTY),
                    FloatVector.SPECIES_PREFERRED.vectorBitSize())));

    private VectorWidth() {
    }

    /**
     * The width in bits for a requested value (null: none requested) on a CPU whose widest native vector has
     * {@code preferredBits} bits.
     *
     * @throws IllegalStateException naming the property and the allowed values when the request is not usable
     */
    public static int choose(String requested, int preferredBits) {
        if (requested == null || requested.isBlank()) {
            if (preferredBits < 128) {
                throw new IllegalStateException("this CPU has no 128-bit vectors (the Vector API reports "
                        + preferredBits + " bits); jllm needs at least 128");
            }
            return Math.min(preferredBits, 512);
        }
        int bits;
        try {
            bits = Integer.parseInt(requested.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(PROPERTY + "=" + requested + " is not a number; use 128, 256 or 512");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalStateException(PROPERTY + "=" + requested + " is not supported; use 128, 256 or 512");
        }
        if (bits > preferredBits) {
            throw new IllegalStateException(PROPERTY + "=" + bits + " but this CPU runs at most " + preferredBits
                    + "-bit vectors natively");
        }
        return bits;
    }
}
