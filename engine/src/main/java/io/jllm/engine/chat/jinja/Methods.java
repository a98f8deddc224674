package io.jllm.engine.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Python str and dict methods chat templates call, bound to their receiver. */
final class Methods {
    private Methods() {
    }

    static JinjaCallable dict(Map<?, ?> m, String name) {
        return switch (name) {
            case "items" -> (a, k) -> {
                new Args("items", a, k);
                List<Object> pairs = new ArrayList<>();
                m.forEach((key, value) -> pairs.add(PyTuple.of(key, value)));
                return pairs;
            };
            case "keys" -> (a, k) -> {
                new Args("keys", a, k);
                return new ArrayList<Object>(m.keySet());
            };
            case "values" -> (a, k) -> {
                new Args("values", a, k);
                return new ArrayList<Object>(m.values());
            };
            case "get" -> (a, k) -> {
                Args args = new Args("get", a, k, "key", "default");
                Object key = args.required(0, "key");
                return m.containsKey(key) ? m.get(key) : args.get(1, "default", null);
            };
            default -> null;
        };
    }

    static JinjaCallable string(String s, String name) {
        return switch (name) {
            case "startswith", "endswith" -> (a, k) -> {
                Args args = new Args(name, a, k, "prefix");
                Object arg = args.required(0, "prefix");
                List<?> options = arg instanceof PyTuple t ? t : List.of(arg);
                for (Object o : options) {
                    if (!(o instanceof String p)) {
                        throw new JinjaError(name + " first arg must be str or a tuple of str, not "
                                + Values.typeName(o));
                    }
                    if (name.equals("startswith") ? s.startsWith(p) : s.endsWith(p)) {
                        return true;
                    }
                }
                return false;
            };
            case "strip", "lstrip", "rstrip" -> (a, k) -> {
                String chars = new Args(name, a, k, "chars").string(0, "chars", null);
                return strip(s, chars, !name.equals("rstrip"), !name.equals("lstrip"));
            };
            case "split" -> (a, k) -> {
                Args args = new Args(name, a, k, "sep", "maxsplit");
                return split(s, args.string(0, "sep", null), args.integer(1, "maxsplit", -1));
            };
            case "replace" -> (a, k) -> {
                Args args = new Args(name, a, k, "old", "new", "count");
                return replace(s, (String) args.required(0, "old"), (String) args.required(1, "new"),
                        args.integer(2, "count", -1));
            };
            case "upper" -> (a, k) -> {
                new Args(name, a, k);
                return s.toUpperCase(java.util.Locale.ROOT);
            };
            case "lower" -> (a, k) -> {
                new Args(name, a, k);
                return s.toLowerCase(java.util.Locale.ROOT);
            };
            case "title" -> (a, k) -> {
                new Args(name, a, k);
                return pythonTitle(s);
            };
            case "capitalize" -> (a, k) -> {
                new Args(name, a, k);
                return capitalize(s);
            };
            case "join" -> (a, k) -> {
                Args args = new Args(name, a, k, "iterable");
                StringBuilder sb = new StringBuilder();
                for (Object o : Values.iterate(args.required(0, "iterable"))) {
                    if (!(o instanceof String part)) {
                        throw new JinjaError("sequence item: expected str instance, " + Values.typeName(o)
                                + " found");
                    }
                    if (!sb.isEmpty()) {
                        sb.append(s);
                    }
                    sb.append(part);
                }
                return sb.toString();
            };
            case "find" -> (a, k) -> {
                String sub = (String) new Args(name, a, k, "sub").required(0, "sub");
                int i = s.indexOf(sub);
                return i < 0 ? -1L : (long) s.codePointCount(0, i);
            };
            case "count" -> (a, k) -> {
                String sub = (String) new Args(name, a, k, "sub").required(0, "sub");
                return sub.isEmpty() ? Values.length(s) + 1 : (long) (split(s, sub, -1).size() - 1);
            };
            case "splitlines" -> (a, k) -> {
                new Args(name, a, k);
                List<Object> lines = new ArrayList<>(List.of((Object[]) s.split("\n", -1)));
                if (!lines.isEmpty() && "".equals(lines.getLast())) {
                    lines.removeLast();
                }
                return lines;
            };
            case "isdigit" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isspace" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Methods::isSpace);
            case "format" -> (a, k) -> format(s, a, k);
            default -> null;
        };
    }

    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && stripped(s.charAt(start), chars)) {
            start++;
        }
        while (right && end > start && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    static List<Object> split(String s, String sep, long maxSplit) {
        List<Object> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return parts;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(strip(s.substring(i), null, false, true));
                    return parts;
                }
                int j = i;
                while (j < n && !isSpace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new JinjaError("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            Values.checkedLength(s.length() + (long) (s.length() + 1) * replacement.length(), null);
            return s.replace(old, replacement);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (long n = 0; n < count; n++) {
            int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(replacement);
            if (old.isEmpty()) {
                if (at < s.length()) {
                    sb.append(s.charAt(at));
                }
                from = at + 1;
            } else {
                from = at + old.length();
            }
        }
        if (from < s.length()) {
            sb.append(s, from, s.length());
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        return Character.toString(Character.toTitleCase(first)) + s.substring(n).toLowerCase(java.util.Locale.ROOT);
    }

    /** Python {@code str.title()}: a letter after a non-letter is upper-cased, other letters lower-cased. */
    static String pythonTitle(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            sb.appendCodePoint(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    /** {@code str.format} with {@code {}}, {@code {0}} and {@code {name}} fields, no format specs. */
    private static String format(String s, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int end = s.indexOf('}', i);
                if (end < 0) {
                    throw new JinjaError("single '{' encountered in format string");
                }
                String field = s.substring(i + 1, end);
                Object value;
                if (field.isEmpty()) {
                    value = positional(args, auto++);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    value = positional(args, Integer.parseInt(field));
                } else if (kwargs.containsKey(field)) {
                    value = kwargs.get(field);
                } else {
                    throw new JinjaError("format field '" + field + "' is not supported or not given");
                }
                sb.append(Values.str(value));
                i = end;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object positional(List<Object> args, int index) {
        if (index >= args.size()) {
            throw new JinjaError("format replacement index " + index + " out of range");
        }
        return args.get(index);
    }
}
