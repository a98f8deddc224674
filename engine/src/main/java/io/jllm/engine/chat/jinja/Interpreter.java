package io.jllm.engine.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders parsed statements; every failure becomes a ChatTemplateException at the failing expression. */
final class Interpreter {
    /** Loop iterations one render may run, so a runaway template fails instead of hanging. */
    static final long MAX_ITERATIONS = 1_000_000;
    static final int MAX_CALL_DEPTH = 100;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final Source source;
    private final Scope root;
    private long iterations;
    private int callDepth;

    Interpreter(Source source, Scope root) {
        this.source = source;
        this.root = root;
    }

    String render(List<Node> nodes) {
        StringBuilder out = new StringBuilder();
        exec(nodes, root, out);
        return out.toString();
    }

    private Flow exec(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Flow flow = exec(node, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow exec(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> append(out, t.text(), 0);
            case Node.Output o -> append(out, Values.str(eval(o.value(), scope)), o.value().pos());
            case Node.If n -> {
                for (int i = 0; i < n.conditions().size(); i++) {
                    if (Values.truthy(eval(n.conditions().get(i), scope))) {
                        return exec(n.branches().get(i), scope, out);
                    }
                }
                return exec(n.otherwise(), scope, out);
            }
            case Node.For f -> loop(f, scope, out);
            case Node.Set s -> assign(s, scope);
            case Node.SetBlock s -> {
                StringBuilder captured = new StringBuilder();
                exec(s.body(), new Scope(scope), captured);
                scope.set(s.name(), captured.toString());
            }
            case Node.Macro m -> scope.set(m.name(), macro(m));
            case Node.Break b -> {
                return Flow.BREAK;
            }
            case Node.Continue c -> {
                return Flow.CONTINUE;
            }
            case Node.Group g -> {
                return exec(g.body(), scope, out);
            }
        }
        return Flow.NORMAL;
    }

    private void append(StringBuilder out, String text, int pos) {
        if (out.length() + (long) text.length() > Values.MAX_STRING) {
            throw source.error("rendered text would be longer than " + Values.MAX_STRING + " characters", pos);
        }
        out.append(text);
    }

    private void loop(Node.For f, Scope scope, StringBuilder out) {
        List<Object> items = guarded(f.iterable().pos(), () -> Values.iterate(eval(f.iterable(), scope)));
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope s = new Scope(scope);
                bind(f, s, item);
                if (Values.truthy(eval(f.filter(), s))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        LoopInfo loop = new LoopInfo(items);
        for (int i = 0; i < items.size(); i++) {
            if (++iterations > MAX_ITERATIONS) {
                throw source.error("more than " + MAX_ITERATIONS + " loop iterations", f.pos());
            }
            Scope s = new Scope(scope);
            bind(f, s, items.get(i));
            loop.advance(i);
            s.set("loop", loop);
            if (exec(f.body(), s, out) == Flow.BREAK) {
                break;
            }
        }
        if (items.isEmpty()) {
            exec(f.otherwise(), scope, out);
        }
    }

    private void bind(Node.For f, Scope s, Object item) {
        List<String> targets = f.targets();
        if (targets.size() == 1) {
            s.set(targets.getFirst(), item);
            return;
        }
        List<Object> parts = guarded(f.pos(), () -> unpack(item, targets.size()));
        for (int i = 0; i < targets.size(); i++) {
            s.set(targets.get(i), parts.get(i));
        }
    }

    private static List<Object> unpack(Object item, int count) {
        List<Object> parts = Values.iterate(item);
        if (parts.size() != count) {
            throw new JinjaError((parts.size() > count ? "too many" : "not enough") + " values to unpack (expected "
                    + count + ", got " + parts.size() + ")");
        }
        return parts;
    }

    private void assign(Node.Set s, Scope scope) {
        Object value = eval(s.value(), scope);
        if (s.attr() != null) {
            Object target = scope.lookup(s.names().getFirst());
            if (!(target instanceof Namespace ns)) {
                throw source.error("cannot assign attribute '" + s.attr() + "' on '" + s.names().getFirst()
                        + "', which is not a namespace()", s.pos());
            }
            ns.attributes.put(s.attr(), value);
        } else if (s.names().size() == 1) {
            scope.set(s.names().getFirst(), value);
        } else {
            List<Object> parts = guarded(s.pos(), () -> unpack(value, s.names().size()));
            for (int i = 0; i < parts.size(); i++) {
                scope.set(s.names().get(i), parts.get(i));
            }
        }
    }

    private JinjaCallable macro(Node.Macro m) {
        return (args, kwargs) -> {
            if (args.size() > m.params().size()) {
                throw new JinjaError("macro '" + m.name() + "' takes not more than " + m.params().size()
                        + " argument(s)");
            }
            for (String k : kwargs.keySet()) {
                if (!m.params().contains(k)) {
                    throw new JinjaError("macro '" + m.name() + "' has no parameter named '" + k + "'");
                }
            }
            if (callDepth >= MAX_CALL_DEPTH) {
                throw new JinjaError("macro calls nested deeper than " + MAX_CALL_DEPTH);
            }
            Scope s = new Scope(root);
            for (int i = 0; i < m.params().size(); i++) {
                String p = m.params().get(i);
                Expr fallback = m.defaults().get(i);
                Object v = i < args.size() ? args.get(i) : kwargs.containsKey(p) ? kwargs.get(p)
                        : fallback != null ? eval(fallback, s) : Undefined.name(p);
                s.set(p, v);
            }
            StringBuilder captured = new StringBuilder();
            callDepth++;
            try {
                exec(m.body(), s, captured);
            } finally {
                callDepth--;
            }
            return captured.toString();
        };
    }

    private interface Step<T> {
        T run();
    }

    /** Runs a step, giving any error without a position the position {@code pos}. */
    private <T> T guarded(int pos, Step<T> step) {
        try {
            return step.run();
        } catch (JinjaError e) {
            throw source.error(e.getMessage(), pos);
        }
    }

    Object eval(Expr e, Scope scope) {
        try {
            return evaluate(e, scope);
        } catch (JinjaError err) {
            throw source.error(err.getMessage(), e.pos());
        } catch (StackOverflowError err) {
            throw source.error("template recursion too deep", e.pos());
        }
    }

    private Object evaluate(Expr e, Scope scope) {
        return switch (e) {
            case Expr.Literal l -> l.value();
            case Expr.Name n -> scope.lookup(n.name());
            case Expr.ListLit l -> {
                List<Object> items = new ArrayList<>();
                l.items().forEach(x -> items.add(eval(x, scope)));
                yield items;
            }
            case Expr.TupleLit t -> {
                List<Object> items = new ArrayList<>();
                t.items().forEach(x -> items.add(eval(x, scope)));
                yield new PyTuple(items);
            }
            case Expr.DictLit d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object key = eval(d.keys().get(i), scope);
                    if (key instanceof List || key instanceof Map || key instanceof Undefined) {
                        throw source.error("unhashable type: '" + Values.typeName(key) + "'", d.keys().get(i).pos());
                    }
                    map.put(key, eval(d.values().get(i), scope));
                }
                yield map;
            }
            case Expr.GetAttr g -> Members.attribute(eval(g.target(), scope), g.name());
            case Expr.GetItem g -> Members.item(eval(g.target(), scope), eval(g.key(), scope));
            case Expr.Slice s -> Members.slice(eval(s.target(), scope), optional(s.start(), scope),
                    optional(s.stop(), scope), optional(s.step(), scope));
            case Expr.Call c -> call(c, scope);
            case Expr.Filter f -> {
                Object value = eval(f.value(), scope);
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                arguments(f.args(), scope, args, kwargs);
                yield Filters.apply(f.name(), value, args, kwargs);
            }
            case Expr.Test t -> {
                Object value = eval(t.value(), scope);
                List<Object> args = new ArrayList<>();
                arguments(t.args(), scope, args, new LinkedHashMap<>());
                yield TestFunctions.apply(t.name(), value, args) != t.negated();
            }
            case Expr.Unary u -> unary(u.op(), eval(u.operand(), scope));
            case Expr.Binary b -> binary(b, scope);
            case Expr.Compare c -> compare(c, scope);
            case Expr.Conditional c -> Values.truthy(eval(c.condition(), scope)) ? eval(c.then(), scope)
                    : c.otherwise() != null ? eval(c.otherwise(), scope)
                    : new Undefined("the conditional expression had no else branch");
        };
    }

    private Object optional(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private void arguments(Expr.Args a, Scope scope, List<Object> args, Map<String, Object> kwargs) {
        a.positional().forEach(x -> args.add(eval(x, scope)));
        for (int i = 0; i < a.names().size(); i++) {
            kwargs.put(a.names().get(i), eval(a.values().get(i), scope));
        }
    }

    private Object call(Expr.Call c, Scope scope) {
        Object callee = eval(c.callee(), scope);
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        arguments(c.args(), scope, args, kwargs);
        if (callee instanceof Undefined u) {
            throw u.fail();
        }
        if (!(callee instanceof JinjaCallable f)) {
            throw new JinjaError("'" + Values.typeName(callee) + "' object is not callable");
        }
        return f.call(args, kwargs);
    }

    private static Object unary(String op, Object v) {
        if (op.equals("not")) {
            return !Values.truthy(v);
        }
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (!Values.isNumber(v)) {
            throw new JinjaError("bad operand type for unary " + op + ": '" + Values.typeName(v) + "'");
        }
        if (op.equals("+")) {
            return v instanceof Boolean ? Values.toLong(v) : v;
        }
        if (v instanceof Double d) {
            return -d;
        }
        long l = Values.toLong(v);
        if (l == Long.MIN_VALUE) {
            throw new JinjaError("integer result does not fit in 64 bits");
        }
        return -l;
    }

    private Object binary(Expr.Binary b, Scope scope) {
        Object left = eval(b.left(), scope);
        return switch (b.op()) {
            case "and" -> Values.truthy(left) ? eval(b.right(), scope) : left;
            case "or" -> Values.truthy(left) ? left : eval(b.right(), scope);
            case "~" -> {
                String l = Values.str(left);
                String r = Values.str(eval(b.right(), scope));
                Values.checkedLength(l.length() + (long) r.length(), null);
                yield l + r;
            }
            default -> Values.arithmetic(b.op(), left, eval(b.right(), scope));
        };
    }

    private Object compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.ops().size(); i++) {
            Object right = eval(c.rest().get(i), scope);
            String op = c.ops().get(i);
            boolean holds = switch (op) {
                case "==" -> Values.equal(left, right);
                case "!=" -> !Values.equal(left, right);
                case "<" -> Values.compare(left, right, op) < 0;
                case "<=" -> Values.compare(left, right, op) <= 0;
                case ">" -> Values.compare(left, right, op) > 0;
                case ">=" -> Values.compare(left, right, op) >= 0;
                case "in" -> Values.contains(right, left);
                case "not in" -> !Values.contains(right, left);
                default -> throw new IllegalStateException(op);
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }
}
