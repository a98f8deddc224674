package io.jllm.engine.chat.jinja;

/**
 * Jinja's default Undefined: falsy, renders as nothing, iterates as empty, equals only another Undefined;
 * any other use (attribute, item, arithmetic, call) fails with the reason it is undefined.
 */
final class Undefined {
    final String reason;

    Undefined(String reason) {
        this.reason = reason;
    }

    static Undefined name(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined attribute(Object owner, String name) {
        return new Undefined("'" + Values.typeName(owner) + " object' has no attribute '" + name + "'");
    }

    JinjaError fail() {
        return new JinjaError(reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Undefined;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "";
    }
}
