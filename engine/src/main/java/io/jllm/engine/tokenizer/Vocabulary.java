package io.jllm.engine.tokenizer;

import io.jllm.gguf.GgufArray;
import io.jllm.gguf.GgufMetadata;
import io.jllm.gguf.GgufValueType;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.ints.IntSet;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The token table of a GGUF file and its special tokens, read the way llama.cpp's {@code llama_vocab::load}
 * reads them (defaults, range checks, end-of-generation detection by token text).
 */
final class Vocabulary {
    static final String PREFIX = "tokenizer.ggml.";
    static final String MODEL = PREFIX + "model";
    static final String PRE = PREFIX + "pre";
    static final String TOKENS = PREFIX + "tokens";
    static final String SCORES = PREFIX + "scores";
    static final String TOKEN_TYPE = PREFIX + "token_type";
    static final String MERGES = PREFIX + "merges";
    static final String ADD_BOS = PREFIX + "add_bos_token";
    static final String ADD_EOS = PREFIX + "add_eos_token";
    static final String ADD_SPACE_PREFIX = PREFIX + "add_space_prefix";

    /** Token texts llama.cpp treats as end-of-turn when {@code eot_token_id} is absent. */
    private static final Set<String> EOT_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
            "<end_of_utterance>");
    /** Token texts llama.cpp treats as end-of-generation whatever the metadata says. */
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>",
            "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>",
            "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[");

    /** Model-type defaults that the metadata may override. */
    record Defaults(int bos, int eos, int unknown, boolean addBos, boolean addSpacePrefix) {
    }

    final String[] texts;
    final float[] scores;
    final int[] attributes;
    private final Object2IntOpenHashMap<String> ids;
    final int bos;
    final int eos;
    final int eot;
    final int eom;
    final int unknown;
    final boolean addBos;
    final boolean addEos;
    final boolean addSpacePrefix;
    final IntSet endOfGeneration;
    /** CONTROL, USER_DEFINED and UNKNOWN tokens, longest text first: the order llama.cpp splits them out. */
    final int[] specialTokensLongestFirst;

    private Vocabulary(GgufMetadata md, Defaults defaults) {
        texts = md.getStringArray(TOKENS).clone();
        int n = texts.length;
        scores = readScores(md, n);
        attributes = readAttributes(md, n);
        ids = new Object2IntOpenHashMap<>(n);
        ids.defaultReturnValue(-1);
        for (int i = 0; i < n; i++) {
            if (texts[i].isEmpty()) {
                texts[i] = "[EMPTY_" + i + "]";
            }
            int previous = ids.putIfAbsent(texts[i], i);
            if (previous != -1) {
                throw new TokenizerException("duplicate token in vocabulary '" + TOKENS + "': '" + texts[i]
                        + "' has ids " + previous + " and " + i);
            }
        }
        bos = specialId(md, "bos_token_id", defaults.bos());
        eos = specialId(md, "eos_token_id", defaults.eos());
        unknown = specialId(md, "unknown_token_id", defaults.unknown());
        int eotFromKey = specialId(md, "eot_token_id", -1);
        eot = eotFromKey >= 0 ? eotFromKey : markControl(findFirst(EOT_TEXTS));
        int eomFromKey = specialId(md, "eom_token_id", -1);
        eom = eomFromKey >= 0 ? eomFromKey : markControl(ids.getInt("<|eom_id|>"));
        addBos = md.findBoolean(ADD_BOS).orElse(defaults.addBos());
        addEos = md.findBoolean(ADD_EOS).orElse(false);
        addSpacePrefix = md.findBoolean(ADD_SPACE_PREFIX).orElse(defaults.addSpacePrefix());
        requireToken(addBos, bos, ADD_BOS, "bos_token_id");
        requireToken(addEos, eos, ADD_EOS, "eos_token_id");
        endOfGeneration = endOfGenerationTokens();
        specialTokensLongestFirst = specialTokensLongestFirst();
        applyModelQuirks(md.findString("general.name").orElse(""));
    }

    static Vocabulary read(GgufMetadata md, Defaults defaults) {
        return new Vocabulary(md, defaults);
    }

    int size() {
        return texts.length;
    }

    /** The id of the token with exactly this text, or -1. */
    int id(String text) {
        return ids.getInt(text);
    }

    boolean has(int token, int attribute) {
        return (attributes[token] & attribute) != 0;
    }

    private static float[] readScores(GgufMetadata md, int n) {
        float[] scores = new float[n];
        if (!md.contains(SCORES)) {
            return scores;
        }
        boolean integers = md.require(SCORES).value() instanceof GgufArray a && a.elementType().isInteger();
        GgufArray array = md.getArray(SCORES, integers ? GgufValueType.INT32 : GgufValueType.FLOAT32);
        requireLength(array, n, SCORES);
        if (integers) {
            long[] values = array.longs();
            for (int i = 0; i < n; i++) {
                scores[i] = values[i];
            }
        } else {
            System.arraycopy(array.floats(), 0, scores, 0, n);
        }
        return scores;
    }

    private static int[] readAttributes(GgufMetadata md, int n) {
        int[] attributes = new int[n];
        if (!md.contains(TOKEN_TYPE)) {
            Arrays.fill(attributes, TokenAttributes.NORMAL);
            return attributes;
        }
        GgufArray array = md.getArray(TOKEN_TYPE, GgufValueType.INT32);
        requireLength(array, n, TOKEN_TYPE);
        long[] types = array.longs();
        for (int i = 0; i < n; i++) {
            attributes[i] = TokenAttributes.fromGgufType(types[i]);
        }
        return attributes;
    }

    private static void requireLength(GgufArray array, int n, String key) {
        if (array.length() < n) {
            throw new TokenizerException("'" + key + "' has " + array.length() + " entries but '" + TOKENS
                    + "' has " + n);
        }
    }

    /** The id stored under the key if it is a valid token, else the default if that is valid, else -1. */
    private int specialId(GgufMetadata md, String key, int defaultId) {
        int fallback = defaultId >= 0 && defaultId < texts.length ? defaultId : -1;
        long id = md.findLong(PREFIX + key).orElse(-1L);
        return id >= 0 && id < texts.length ? (int) id : fallback;
    }

    private int findFirst(Set<String> candidates) {
        int found = -1;
        for (String text : candidates) {
            int id = ids.getInt(text);
            if (id >= 0 && (found < 0 || id < found)) {
                found = id;
            }
        }
        return found;
    }

    /** Tokens found by their text are made CONTROL, as llama.cpp does, so they are never plain text. */
    private int markControl(int id) {
        if (id >= 0) {
            attributes[id] |= TokenAttributes.CONTROL;
        }
        return id;
    }

    private static void requireToken(boolean wanted, int id, String flagKey, String idKey) {
        if (wanted && id < 0) {
            throw new TokenizerException("'" + flagKey + "' is true, but '" + PREFIX + idKey + "' is not set");
        }
    }

    private IntSet endOfGenerationTokens() {
        IntSet eog = new IntOpenHashSet();
        for (String text : EOG_TEXTS) {
            int id = ids.getInt(text);
            if (id >= 0) {
                eog.add(id);
                attributes[id] |= TokenAttributes.CONTROL;
            }
        }
        for (int id : new int[] {eos, eot, eom}) {
            if (id >= 0) {
                eog.add(id);
            }
        }
        // gpt-oss ends turns with <|return|>/<|call|>; its <|end|> only closes a message
        int end = ids.getInt("<|end|>");
        boolean harmony = (contains(eog, "<|return|>") && contains(eog, "<|call|>"))
                || (contains(eog, "<|calls|>") && contains(eog, "<|flush|>"));
        if (end >= 0 && harmony) {
            eog.remove(end);
            attributes[end] = TokenAttributes.USER_DEFINED;
        }
        // Gemma 4 uses </s> as ordinary text
        int closingS = ids.getInt("</s>");
        if (closingS >= 0 && contains(eog, "<|tool_response>")) {
            eog.remove(closingS);
            attributes[closingS] = TokenAttributes.NORMAL;
        }
        return eog;
    }

    private boolean contains(IntSet set, String text) {
        int id = ids.getInt(text);
        return id >= 0 && set.contains(id);
    }

    private int[] specialTokensLongestFirst() {
        // Sorted as (length descending, id ascending) packed in one long: a primitive sort, no comparator calls
        LongArrayList keys = new LongArrayList();
        for (int i = 0; i < texts.length; i++) {
            if ((attributes[i] & TokenAttributes.SPECIAL) != 0) {
                keys.add((long) (Integer.MAX_VALUE - texts[i].length()) << 32 | i);
            }
        }
        long[] sorted = keys.toLongArray();
        Arrays.sort(sorted);
        int[] special = new int[sorted.length];
        for (int k = 0; k < sorted.length; k++) {
            special[k] = (int) sorted[k];
        }
        return special;
    }

    /** Per-model token attributes that the GGUF file does not carry (llama.cpp sets them by model name). */
    private void applyModelQuirks(String generalName) {
        String name = generalName.toLowerCase(Locale.ROOT);
        if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id : specialTokensLongestFirst) {
                attributes[id] |= TokenAttributes.RSTRIP;
            }
            setAttribute("</s>", TokenAttributes.RSTRIP, true);
            for (String text : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
                setAttribute(text, TokenAttributes.RSTRIP, false);
            }
        }
    }

    private void setAttribute(String text, int attribute, boolean value) {
        int id = ids.getInt(text);
        if (id >= 0) {
            attributes[id] = value ? attributes[id] | attribute : attributes[id] & ~attribute;
        }
    }
}
