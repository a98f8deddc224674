package io.jllm.engine.model;

/**
 * A KV cache of float32 keys and values, one array per layer holding {@code capacity} rows, together with
 * the activation buffers of the session that owns it.
 */
final class F32KvCache implements KvCache {
    final Transformer owner;
    final float[][] keys;
    final float[][] values;
    final ForwardBuffers buffers;
    private final int capacity;
    private int length;

    F32KvCache(Transformer owner, ModelConfig c, int capacity, ForwardBuffers buffers) {
        long keyFloats = (long) capacity * c.keyRowLength();
        long valueFloats = (long) capacity * c.valueRowLength();
        if (capacity <= 0 || Math.max(keyFloats, valueFloats) > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("KV cache capacity " + capacity + " is out of range for this model");
        }
        this.owner = owner;
        this.capacity = capacity;
        this.keys = new float[c.blockCount()][(int) keyFloats];
        this.values = new float[c.blockCount()][(int) valueFloats];
        this.buffers = buffers;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("cannot truncate a cache of " + this.length + " positions to " + length);
        }
        this.length = length;
    }

    void advance(int positions) {
        length += positions;
    }
}
