package io.jllm.engine.chat.jinja;

/** One lexical token; {@code pos} is the offset in the template source. */
record Token(Kind kind, String text, int pos) {
    enum Kind { TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind k, String s) {
        return kind == k && text.equals(s);
    }

    boolean isOp(String s) {
        return is(Kind.OPERATOR, s);
    }

    boolean isName(String s) {
        return is(Kind.NAME, s);
    }
}
