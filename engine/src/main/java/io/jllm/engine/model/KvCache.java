package io.jllm.engine.model;

/**
 * The keys and values of the tokens a model has seen, position by position. Owned by one session.
 */
public interface KvCache {

    /** Positions filled so far: the position of the next token. */
    int length();

    /** The most positions this cache can hold. */
    int capacity();

    /** Forgets every position from {@code length} on (to rewind or reset a conversation). */
    void truncate(int length);
}
