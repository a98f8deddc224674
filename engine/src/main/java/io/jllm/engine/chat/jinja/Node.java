package io.jllm.engine.chat.jinja;

import java.util.List;

/** Template statements; {@code pos} is the source offset used in error messages. */
sealed interface Node {
    record Text(String text) implements Node {
    }

    record Output(Expr value) implements Node {
    }

    record If(List<Expr> conditions, List<List<Node>> branches, List<Node> otherwise) implements Node {
    }

    /** {@code for targets in iterable [if filter]}; several targets unpack each item. */
    record For(List<String> targets, Expr iterable, Expr filter, List<Node> body, List<Node> otherwise, int pos)
            implements Node {
    }

    /** {@code set name = value}, {@code set a, b = value} or {@code set ns.attr = value} (attr not null). */
    record Set(List<String> names, String attr, Expr value, int pos) implements Node {
    }

    record SetBlock(String name, List<Node> body) implements Node {
    }

    record Macro(String name, List<String> params, List<Expr> defaults, List<Node> body) implements Node {
    }

    record Break() implements Node {
    }

    record Continue() implements Node {
    }

    /** A group of statements rendered in place, such as the body of transformers' {@code generation} tag. */
    record Group(List<Node> body) implements Node {
    }
}
