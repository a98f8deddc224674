package io.jllm.engine.json;

/**
 * A JSON number kept as its text, so that each reading ({@link #floatValue()}, {@link #doubleValue()}) is
 * rounded once, straight from the decimal: golden files print float32 values with 9 digits and must read
 * back as exactly those floats.
 */
public final class JsonNumber extends Number {
    private final String text;

    public JsonNumber(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    @Override
    public int intValue() {
        return Math.toIntExact(longValue());
    }

    @Override
    public long longValue() {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            double d = doubleValue();
            if (d != Math.rint(d)) {
                throw new ArithmeticException("JSON number " + text + " is not an integer");
            }
            return (long) d;
        }
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber n && n.doubleValue() == doubleValue();
    }

    @Override
    public int hashCode() {
        return Double.hashCode(doubleValue());
    }

    @Override
    public String toString() {
        return text;
    }
}
