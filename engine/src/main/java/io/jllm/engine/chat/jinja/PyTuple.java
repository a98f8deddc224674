package io.jllm.engine.chat.jinja;

import java.util.AbstractList;
import java.util.List;

/** An immutable sequence that prints like a Python tuple, e.g. the pairs {@code items()} yields. */
final class PyTuple extends AbstractList<Object> {
    private final List<Object> items;

    PyTuple(List<Object> items) {
        this.items = items;
    }

    static PyTuple of(Object a, Object b) {
        return new PyTuple(java.util.Arrays.asList(a, b));
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
