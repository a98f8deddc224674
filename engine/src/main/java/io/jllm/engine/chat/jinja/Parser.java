package io.jllm.engine.chat.jinja;

import io.jllm.engine.chat.jinja.Expr.Args;
import io.jllm.engine.chat.jinja.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser for the Jinja statements and expressions chat templates use, with Jinja's precedence. */
final class Parser {
    private static final int MAX_DEPTH = 200;
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<Kind> TEST_ARG_START = Set.of(Kind.NAME, Kind.STRING, Kind.INTEGER, Kind.FLOAT);

    private final Source source;
    private final List<Token> tokens;
    private int i;
    private int depth;

    private Parser(Source source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    static List<Node> parse(Source source) {
        Parser p = new Parser(source, Lexer.tokenize(source));
        return p.body(Set.of(), null, 0);
    }

    /** Parses statements until a block tag named in {@code ends}; leaves that tag's name as the next token. */
    private List<Node> body(Set<String> ends, String opener, int openerPos) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case TEXT -> {
                    i++;
                    nodes.add(new Node.Text(t.text()));
                }
                case VAR_BEGIN -> {
                    i++;
                    Expr e = tuple();
                    expect(Kind.VAR_END, "}}");
                    nodes.add(new Node.Output(e));
                }
                case BLOCK_BEGIN -> {
                    Token name = tokens.get(i + 1);
                    if (name.kind() == Kind.NAME && ends.contains(name.text())) {
                        i++;
                        return nodes;
                    }
                    i++;
                    nodes.add(statement());
                }
                case EOF -> {
                    if (opener != null) {
                        throw source.error("'" + opener + "' is never closed (expected "
                                + String.join(" or ", ends.stream().sorted().toList()) + ")", openerPos);
                    }
                    return nodes;
                }
                default -> throw error("unexpected '" + t.text() + "'", t);
            }
        }
    }

    private Node statement() {
        Token name = peek();
        if (name.kind() != Kind.NAME) {
            throw error("expected a tag name after '{%'", name);
        }
        i++;
        return switch (name.text()) {
            case "if" -> ifStatement(name);
            case "for" -> forStatement(name);
            case "set" -> setStatement(name);
            case "macro" -> macro(name);
            case "break" -> {
                blockEnd();
                yield new Node.Break();
            }
            case "continue" -> {
                blockEnd();
                yield new Node.Continue();
            }
            case "generation" -> {
                blockEnd();
                List<Node> body = body(Set.of("endgeneration"), "generation", name.pos());
                i++;
                blockEnd();
                yield new Node.Group(body);
            }
            default -> throw error("unknown or unexpected tag '" + name.text() + "'", name);
        };
    }

    private Node ifStatement(Token tag) {
        List<Expr> conditions = new ArrayList<>();
        List<List<Node>> branches = new ArrayList<>();
        Set<String> ends = Set.of("elif", "else", "endif");
        conditions.add(tuple());
        blockEnd();
        branches.add(body(ends, "if", tag.pos()));
        while (true) {
            String next = next().text();
            if (next.equals("elif")) {
                conditions.add(tuple());
                blockEnd();
                branches.add(body(ends, "if", tag.pos()));
            } else if (next.equals("else")) {
                blockEnd();
                List<Node> otherwise = body(Set.of("endif"), "if", tag.pos());
                i++;
                blockEnd();
                return new Node.If(conditions, branches, otherwise);
            } else {
                blockEnd();
                return new Node.If(conditions, branches, List.of());
            }
        }
    }

    private Node forStatement(Token tag) {
        List<String> targets = new ArrayList<>();
        boolean paren = skipOp("(");
        do {
            targets.add(expectName());
        } while (skipOp(","));
        if (paren) {
            expectOp(")");
        }
        Token in = next();
        if (!in.isName("in")) {
            throw error("expected 'in' in for loop", in);
        }
        Expr iterable = or();
        if (peek().isOp(",")) {
            List<Expr> items = new ArrayList<>(List.of(iterable));
            while (skipOp(",")) {
                items.add(or());
            }
            iterable = new Expr.TupleLit(items, iterable.pos());
        }
        Expr filter = null;
        if (peek().isName("if")) {
            i++;
            filter = tuple();
        }
        if (peek().isName("recursive")) {
            throw error("recursive for loops are not supported", peek());
        }
        blockEnd();
        List<Node> body = body(Set.of("else", "endfor"), "for", tag.pos());
        List<Node> otherwise = List.of();
        if (next().text().equals("else")) {
            blockEnd();
            otherwise = body(Set.of("endfor"), "for", tag.pos());
            i++;
        }
        blockEnd();
        return new Node.For(targets, iterable, filter, body, otherwise, tag.pos());
    }

    private Node setStatement(Token tag) {
        List<String> names = new ArrayList<>();
        names.add(expectName());
        String attr = null;
        if (skipOp(".")) {
            attr = expectName();
        } else {
            while (skipOp(",")) {
                names.add(expectName());
            }
        }
        if (skipOp("=")) {
            Expr value = tuple();
            blockEnd();
            return new Node.Set(names, attr, value, tag.pos());
        }
        if (attr != null || names.size() > 1) {
            throw error("expected '=' in set", peek());
        }
        blockEnd();
        List<Node> body = body(Set.of("endset"), "set", tag.pos());
        i++;
        blockEnd();
        return new Node.SetBlock(names.getFirst(), body);
    }

    private Node macro(Token tag) {
        String name = expectName();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        expectOp("(");
        while (!skipOp(")")) {
            if (!params.isEmpty()) {
                expectOp(",");
                if (skipOp(")")) {
                    break;
                }
            }
            params.add(expectName());
            defaults.add(skipOp("=") ? expression() : null);
        }
        blockEnd();
        List<Node> body = body(Set.of("endmacro"), "macro", tag.pos());
        i++;
        blockEnd();
        return new Node.Macro(name, params, defaults, body);
    }

    /** An expression, or a tuple when commas separate several. */
    private Expr tuple() {
        Expr first = expression();
        if (!peek().isOp(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (skipOp(",")) {
            if (endsTuple(peek())) {
                break;
            }
            items.add(expression());
        }
        return new Expr.TupleLit(items, first.pos());
    }

    private static boolean endsTuple(Token t) {
        return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.isOp(")") || t.isOp("]");
    }

    private Expr expression() {
        if (++depth > MAX_DEPTH) {
            throw error("expression nested deeper than " + MAX_DEPTH, peek());
        }
        Expr e = or();
        while (peek().isName("if")) {
            int pos = next().pos();
            Expr condition = or();
            Expr otherwise = null;
            if (peek().isName("else")) {
                i++;
                otherwise = expression();
            }
            e = new Expr.Conditional(e, condition, otherwise, pos);
        }
        depth--;
        return e;
    }

    private Expr or() {
        Expr e = and();
        while (peek().isName("or")) {
            int pos = next().pos();
            e = new Expr.Binary("or", e, and(), pos);
        }
        return e;
    }

    private Expr and() {
        Expr e = not();
        while (peek().isName("and")) {
            int pos = next().pos();
            e = new Expr.Binary("and", e, not(), pos);
        }
        return e;
    }

    private Expr not() {
        if (peek().isName("not")) {
            int pos = next().pos();
            nest();
            Expr operand = not();
            depth--;
            return new Expr.Unary("not", operand, pos);
        }
        return compare();
    }

    private Expr compare() {
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.OPERATOR && COMPARE_OPS.contains(t.text())) {
                i++;
                ops.add(t.text());
            } else if (t.isName("in")) {
                i++;
                ops.add("in");
            } else if (t.isName("not") && tokens.get(i + 1).isName("in")) {
                i += 2;
                ops.add("not in");
            } else {
                break;
            }
            rest.add(math1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest, first.pos());
    }

    private Expr math1() {
        Expr e = concat();
        while (peek().isOp("+") || peek().isOp("-")) {
            Token op = next();
            e = new Expr.Binary(op.text(), e, concat(), op.pos());
        }
        return e;
    }

    private Expr concat() {
        Expr e = math2();
        while (peek().isOp("~")) {
            int pos = next().pos();
            e = new Expr.Binary("~", e, math2(), pos);
        }
        return e;
    }

    private Expr math2() {
        Expr e = pow();
        while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
            Token op = next();
            e = new Expr.Binary(op.text(), e, pow(), op.pos());
        }
        return e;
    }

    private Expr pow() {
        Expr e = unary(true);
        while (peek().isOp("**")) {
            int pos = next().pos();
            e = new Expr.Binary("**", e, unary(true), pos);
        }
        return e;
    }

    private Expr unary(boolean withFilter) {
        Token t = peek();
        Expr e;
        if (t.isOp("-") || t.isOp("+")) {
            i++;
            nest();
            e = new Expr.Unary(t.text(), unary(false), t.pos());
            depth--;
        } else {
            e = primary();
        }
        e = postfix(e);
        return withFilter ? filters(e) : e;
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NAME -> {
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Literal(Boolean.TRUE, t.pos());
                    case "false", "False" -> new Expr.Literal(Boolean.FALSE, t.pos());
                    case "none", "None" -> new Expr.Literal(null, t.pos());
                    default -> new Expr.Name(t.text(), t.pos());
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    sb.append(next().text());
                }
                return new Expr.Literal(sb.toString(), t.pos());
            }
            case INTEGER -> {
                try {
                    return new Expr.Literal(Long.parseLong(t.text()), t.pos());
                } catch (NumberFormatException e) {
                    throw error("integer literal too large", t);
                }
            }
            case FLOAT -> {
                return new Expr.Literal(Double.parseDouble(t.text()), t.pos());
            }
            default -> {
            }
        }
        if (t.isOp("(")) {
            if (skipOp(")")) {
                return new Expr.TupleLit(List.of(), t.pos());
            }
            Expr e = expression();
            if (peek().isOp(",")) {
                List<Expr> items = new ArrayList<>(List.of(e));
                while (skipOp(",") && !peek().isOp(")")) {
                    items.add(expression());
                }
                e = new Expr.TupleLit(items, t.pos());
            }
            expectOp(")");
            return e;
        }
        if (t.isOp("[")) {
            List<Expr> items = new ArrayList<>();
            while (!skipOp("]")) {
                if (!items.isEmpty()) {
                    expectOp(",");
                    if (skipOp("]")) {
                        break;
                    }
                }
                items.add(expression());
            }
            return new Expr.ListLit(items, t.pos());
        }
        if (t.isOp("{")) {
            List<Expr> keys = new ArrayList<>();
            List<Expr> values = new ArrayList<>();
            while (!skipOp("}")) {
                if (!keys.isEmpty()) {
                    expectOp(",");
                    if (skipOp("}")) {
                        break;
                    }
                }
                keys.add(expression());
                expectOp(":");
                values.add(expression());
            }
            return new Expr.DictLit(keys, values, t.pos());
        }
        throw error("expected an expression but found " + describe(t), t);
    }

    private Expr postfix(Expr e) {
        while (true) {
            Token t = peek();
            if (t.isOp(".")) {
                i++;
                Token name = next();
                if (name.kind() == Kind.NAME) {
                    e = new Expr.GetAttr(e, name.text(), name.pos());
                } else if (name.kind() == Kind.INTEGER) {
                    e = new Expr.GetItem(e, new Expr.Literal(Long.parseLong(name.text()), name.pos()), name.pos());
                } else {
                    throw error("expected an attribute name after '.'", name);
                }
            } else if (t.isOp("[")) {
                i++;
                e = subscript(e, t.pos());
            } else if (t.isOp("(")) {
                i++;
                e = new Expr.Call(e, callArgs(), e.pos());
            } else {
                return e;
            }
        }
    }

    private Expr subscript(Expr target, int pos) {
        Expr start = peek().isOp(":") ? null : expression();
        Expr result;
        if (skipOp(":")) {
            Expr stop = peek().isOp(":") || peek().isOp("]") ? null : expression();
            Expr step = null;
            if (skipOp(":") && !peek().isOp("]")) {
                step = expression();
            }
            result = new Expr.Slice(target, start, stop, step, pos);
        } else {
            result = new Expr.GetItem(target, start, pos);
        }
        expectOp("]");
        return result;
    }

    /** Arguments after an opening parenthesis, through the closing one. */
    private Args callArgs() {
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        boolean first = true;
        while (!skipOp(")")) {
            if (!first) {
                expectOp(",");
                if (skipOp(")")) {
                    break;
                }
            }
            first = false;
            Token t = peek();
            if (t.kind() == Kind.NAME && tokens.get(i + 1).isOp("=")) {
                i += 2;
                names.add(t.text());
                values.add(expression());
            } else {
                if (!names.isEmpty()) {
                    throw error("positional argument after keyword argument", t);
                }
                positional.add(expression());
            }
        }
        return new Args(positional, names, values);
    }

    private Expr filters(Expr e) {
        while (true) {
            Token t = peek();
            if (t.isOp("|")) {
                i++;
                Token name = next();
                if (name.kind() != Kind.NAME) {
                    throw error("expected a filter name after '|'", name);
                }
                if (!Filters.NAMES.contains(name.text())) {
                    throw error("no filter named '" + name.text() + "'", name);
                }
                Args args = skipOp("(") ? callArgs() : Args.NONE;
                e = new Expr.Filter(e, name.text(), args, name.pos());
            } else if (t.isName("is")) {
                i++;
                boolean negated = false;
                if (peek().isName("not")) {
                    i++;
                    negated = true;
                }
                Token name = next();
                if (name.kind() != Kind.NAME) {
                    throw error("expected a test name after 'is'", name);
                }
                if (!TestFunctions.NAMES.contains(name.text())) {
                    throw error("no test named '" + name.text() + "'", name);
                }
                Args args = Args.NONE;
                Token a = peek();
                if (skipOp("(")) {
                    args = callArgs();
                } else if ((TEST_ARG_START.contains(a.kind()) || a.isOp("[") || a.isOp("{"))
                        && !a.isName("else") && !a.isName("or") && !a.isName("and")) {
                    if (a.isName("is")) {
                        throw error("tests cannot be chained with 'is'", a);
                    }
                    args = new Args(List.of(postfix(primary())), List.of(), List.of());
                }
                e = new Expr.Test(e, name.text(), args, negated, name.pos());
            } else if (t.isOp("(")) {
                i++;
                e = new Expr.Call(e, callArgs(), e.pos());
            } else {
                return e;
            }
        }
    }

    private void nest() {
        if (++depth > MAX_DEPTH) {
            throw error("expression nested deeper than " + MAX_DEPTH, peek());
        }
    }

    private Token peek() {
        return tokens.get(i);
    }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private boolean skipOp(String op) {
        if (peek().isOp(op)) {
            i++;
            return true;
        }
        return false;
    }

    private void expectOp(String op) {
        Token t = next();
        if (!t.isOp(op)) {
            throw error("expected '" + op + "' but found " + describe(t), t);
        }
    }

    private String expectName() {
        Token t = next();
        if (t.kind() != Kind.NAME) {
            throw error("expected a name but found " + describe(t), t);
        }
        return t.text();
    }

    private void expect(Kind kind, String text) {
        Token t = next();
        if (t.kind() != kind) {
            throw error("expected '" + text + "' but found " + describe(t), t);
        }
    }

    private void blockEnd() {
        expect(Kind.BLOCK_END, "%}");
    }

    private static String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "the end of the template";
            case STRING -> "a string";
            case TEXT -> "template text";
            default -> "'" + t.text() + "'";
        };
    }

    private RuntimeException error(String message, Token at) {
        return source.error(message, at.pos());
    }
}
