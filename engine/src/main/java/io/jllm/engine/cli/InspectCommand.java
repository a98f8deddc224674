package io.jllm.engine.cli;

import io.jllm.engine.json.Json;
import io.jllm.engine.json.JsonNumber;
import io.jllm.gguf.GgufArray;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.MetadataValue;
import io.jllm.gguf.TensorInfo;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jllm inspect FILE [--json]}: what a GGUF file holds, as a readable summary or as one JSON object. */
public final class InspectCommand implements Command {
    /** Arrays longer than this are described by type and length in the JSON output instead of listed. */
    static final int MAX_JSON_ARRAY = 64;

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "show a GGUF file's metadata and tensors";
    }

    @Override
    public String help() {
        return """
                usage: jllm inspect FILE [--json]

                Shows what a GGUF file holds: format version, alignment, architecture, every metadata key
                with its type and value (long strings and arrays abbreviated, e.g. [50257 × STRING] ["!", ...]),
                and a table of tensors (name, type, shape in ggml order ne0 first, offset in the data section,
                bytes) with totals. Nothing but the header is read, so it is quick on any size of file.

                options:
                  --json     print one JSON object instead:
                             {"version": n, "alignment": n, "metadata": {key: value, ...},
                              "tensors": [{"name": s, "type": "Q4_K", "shape": [ne0, ne1, ...], "offset": n}, ...]}
                             arrays of more than 64 elements appear as
                             {"type": "array", "element_type": "STRING", "length": n}
                  --verbose  print the stack trace on errors

                A malformed file ends with exit status 1 and a message that names the problem and its byte offset.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        boolean json = false;
        Path path = null;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else if (path != null) {
                throw new UsageException("expected one FILE, got " + path + " and " + a);
            } else {
                path = Path.of(a);
            }
        }
        if (path == null) {
            throw new UsageException("missing FILE");
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        try (GgufFile file = GgufFile.open(path)) {
            if (json) {
                out.println(Json.write(json(file)));
            } else {
                summary(path, file, out);
            }
        }
        return 0;
    }

    static Map<String, Object> json(GgufFile file) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        file.metadata().asMap().forEach((key, v) -> metadata.put(key, jsonValue(v.type(), v.value())));
        List<Object> tensors = new ArrayList<>();
        for (TensorInfo t : file.tensors()) {
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", t.name());
            tensor.put("type", t.type().name());
            tensor.put("shape", t.shape());
            tensor.put("offset", t.offset());
            tensors.add(tensor);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", file.version());
        root.put("alignment", file.alignment());
        root.put("metadata", metadata);
        root.put("tensors", tensors);
        return root;
    }

    private static Object jsonValue(GgufValueType type, Object value) {
        if (value instanceof GgufArray a) {
            if (a.length() > MAX_JSON_ARRAY) {
                Map<String, Object> described = new LinkedHashMap<>();
                described.put("type", "array");
                described.put("element_type", a.elementType().name());
                described.put("length", a.length());
                return described;
            }
            List<Object> elements = new ArrayList<>(a.length());
            for (int i = 0; i < a.length(); i++) {
                elements.add(jsonValue(a.elementType(), Array.get(a.elements(), i)));
            }
            return elements;
        }
        if (type == GgufValueType.UINT64 && (Long) value < 0) {
            return new JsonNumber(Long.toUnsignedString((Long) value));
        }
        return value;
    }

    private static void summary(Path path, GgufFile file, PrintStream out) {
        out.printf("file:         %s (%d bytes)%n", path, file.byteSize());
        out.printf("GGUF version: %d%n", file.version());
        out.printf("alignment:    %d%n", file.alignment());
        out.printf("data offset:  %d%n", file.dataOffset());
        out.printf("architecture: %s%n", file.metadata().findString("general.architecture").orElse("(not set)"));

        Map<String, MetadataValue> kv = file.metadata().asMap();
        out.printf("%nmetadata (%d keys):%n", kv.size());
        int keyWidth = kv.keySet().stream().mapToInt(String::length).max().orElse(0);
        int typeWidth = kv.values().stream().mapToInt(v -> v.typeName().length()).max().orElse(0);
        kv.forEach((key, v) -> out.printf("  %-" + keyWidth + "s  %-" + typeWidth + "s  %s%n", key, v.typeName(),
                MetadataText.of(v)));

        List<TensorInfo> tensors = file.tensors();
        out.printf("%ntensors (%d):%n", tensors.size());
        if (tensors.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "type", "shape", "offset", "bytes"});
        long elements = 0;
        long bytes = 0;
        for (TensorInfo t : tensors) {
            rows.add(new String[] {t.name(), t.type().name(), Arrays.toString(t.shape()), Long.toString(t.offset()),
                Long.toString(t.byteSize())});
            elements += t.elementCount();
            bytes += t.byteSize();
        }
        int[] width = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        String format = "  %-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %" + width[3] + "s  %"
                + width[4] + "s%n";
        for (String[] row : rows) {
            out.printf(format, (Object[]) row);
        }
        out.printf("total: %d tensors, %d elements, %d bytes (%.1f MiB)%n", tensors.size(), elements, bytes,
                bytes / 1048576.0);
    }
}
