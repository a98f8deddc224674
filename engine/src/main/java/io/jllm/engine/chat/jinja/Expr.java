package io.jllm.engine.chat.jinja;

import java.util.List;

/** Template expressions; {@code pos} is the source offset used in error messages. */
sealed interface Expr {
    int pos();

    record Literal(Object value, int pos) implements Expr {
    }

    record Name(String name, int pos) implements Expr {
    }

    record ListLit(List<Expr> items, int pos) implements Expr {
    }

    record TupleLit(List<Expr> items, int pos) implements Expr {
    }

    record DictLit(List<Expr> keys, List<Expr> values, int pos) implements Expr {
    }

    record GetAttr(Expr target, String name, int pos) implements Expr {
    }

    record GetItem(Expr target, Expr key, int pos) implements Expr {
    }

    /** {@code target[start:stop:step]}; absent parts are null. */
    record Slice(Expr target, Expr start, Expr stop, Expr step, int pos) implements Expr {
    }

    record Call(Expr callee, Args args, int pos) implements Expr {
    }

    record Filter(Expr value, String name, Args args, int pos) implements Expr {
    }

    record Test(Expr value, String name, Args args, boolean negated, int pos) implements Expr {
    }

    record Unary(String op, Expr operand, int pos) implements Expr {
    }

    /** Arithmetic, {@code ~}, {@code and}, {@code or}. */
    record Binary(String op, Expr left, Expr right, int pos) implements Expr {
    }

    /** A chain such as {@code a < b <= c}; ops include {@code in} and {@code not in}. */
    record Compare(Expr first, List<String> ops, List<Expr> rest, int pos) implements Expr {
    }

    /** {@code then if condition else otherwise}; otherwise is null when the else part is absent. */
    record Conditional(Expr then, Expr condition, Expr otherwise, int pos) implements Expr {
    }

    /** Call arguments: positional, then keyword names with their values. */
    record Args(List<Expr> positional, List<String> names, List<Expr> values) {
        static final Args NONE = new Args(List.of(), List.of(), List.of());
    }
}
