package io.jllm.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words before byte-level BPE runs, with the regex list llama.cpp uses for a
 * {@code tokenizer.ggml.pre} value. Each regex splits every piece left by the previous one; text between
 * matches stays a piece of its own. The regexes are llama.cpp's, with two translations so that Java
 * matches what llama.cpp's engine matches: {@code \s} means Unicode White_Space (llama.cpp maps non-ASCII
 * white space to a character its {@code \s} accepts), and {@code $} means the end of the piece only.
 */
final class PreTokenizer {
    private static final String GPT2 =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String BLOOM = " ?[^(\\s|.,!?\u2026\u3002\uFF0C\u3001\u0964\u06D4\u060C)]+";
    private static final String CJK_HANGUL = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+";
    /**
     * Cased letters (categories Lu, Ll, Lt) as DeepSeek lists them. Written with escapes: several of these
     * code points (U+1F7D, U+1FBE, U+2126, U+212A, ...) are canonical singletons that text tools silently
     * normalize into other letters.
     */
    private static final String DEEPSEEK_LETTERS = "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA"
            + "\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386"
            + "\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5"
            + "\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A"
            + "\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D"
            + "\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC"
            + "\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128"
            + "\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B"
            + "\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787"
            + "\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A"
            + "\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}"
            + "\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+";

    private static final List<String> DEFAULT_REGEXES =
            List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]");
    private static final List<String> GPT2_REGEXES = List.of(GPT2);
    private static final List<String> LLAMA3_REGEXES = List.of(LLAMA3);
    private static final List<String> QWEN2_REGEXES = List.of(QWEN2);
    private static final List<String> STARCODER_REGEXES = List.of("\\p{N}", GPT2);
    private static final List<String> FALCON_REGEXES =
            List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]");
    private static final List<String> DEEPSEEK_LLM_REGEXES = List.of("[\r\n]", DEEPSEEK_LETTERS,
            "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+", "\\s+$", CJK_HANGUL, "\\p{N}+");
    private static final List<String> DEEPSEEK_CODER_REGEXES =
            List.of("[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK_HANGUL, "\\p{N}");
    private static final List<String> BLOOM_REGEXES = List.of(BLOOM);
    private static final List<String> VIKING_REGEXES = List.of(BLOOM, "\\p{N}");

    /** Every supported {@code tokenizer.ggml.pre} value, with llama.cpp's settings for it. */
    private static final Map<String, PreTokenizer> BY_NAME = new TreeMap<>();

    static {
        for (String name : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
                "lfm2", "jina-v5-nano")) {
            register(name, LLAMA3_REGEXES, true, true, true);
        }
        register("default", DEFAULT_REGEXES, true, false, false);
        register("dbrx", LLAMA3_REGEXES, true, false, false);
        register("smaug-bpe", LLAMA3_REGEXES, true, false, false);
        register("deepseek-llm", DEEPSEEK_LLM_REGEXES, false, false, false);
        register("deepseek-coder", DEEPSEEK_CODER_REGEXES, false, false, false);
        register("falcon", FALCON_REGEXES, true, false, false);
        for (String name : List.of("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
                "a.x-4.0", "mellum", "modern-bert", "mpt", "olmo", "jais", "exaone4")) {
            register(name, GPT2_REGEXES, true, false, false);
        }
        register("trillion", GPT2_REGEXES, false, false, false);
        register("granite-docling", GPT2_REGEXES, false, false, false);
        for (String name : List.of("starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2")) {
            register(name, STARCODER_REGEXES, true, false, false);
        }
        register("command-r", STARCODER_REGEXES, false, false, false);
        register("smollm", STARCODER_REGEXES, false, false, false);
        for (String name : List.of("qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open",
                "grok-2")) {
            register(name, QWEN2_REGEXES, false, false, false);
        }
        register("stablelm2", QWEN2_REGEXES, true, false, false);
        register("megrez", QWEN2_REGEXES, true, false, false);
        register("poro-chat", BLOOM_REGEXES, false, false, false);
        register("bloom", BLOOM_REGEXES, true, false, false);
        register("gpt3-finnish", BLOOM_REGEXES, true, false, false);
        register("viking", VIKING_REGEXES, false, false, false);
    }

    final String name;
    private final List<Pattern> patterns;
    /** Whether decoding applies Hugging Face's {@code clean_up_tokenization_spaces}. */
    final boolean cleanSpaces;
    /** Whether a word that is itself a token skips the merges (llama 3 and relatives). */
    final boolean ignoreMerges;
    /** The {@code add_bos_token} default when the file does not say. */
    final boolean addBos;

    private PreTokenizer(String name, List<String> regexes, boolean cleanSpaces, boolean ignoreMerges,
            boolean addBos) {
        this.name = name;
        this.patterns = regexes.stream().map(r -> Pattern.compile(toJava(r))).toList();
        this.cleanSpaces = cleanSpaces;
        this.ignoreMerges = ignoreMerges;
        this.addBos = addBos;
    }

    private static void register(String name, List<String> regexes, boolean cleanSpaces, boolean ignoreMerges,
            boolean addBos) {
        BY_NAME.put(name, new PreTokenizer(name, regexes, cleanSpaces, ignoreMerges, addBos));
    }

    /** The pre-tokenizer for a {@code tokenizer.ggml.pre} value; fails naming it and listing the supported. */
    static PreTokenizer forName(String name) {
        PreTokenizer pre = BY_NAME.get(name);
        if (pre == null) {
            throw new TokenizerException("unsupported pre-tokenizer '" + name + "' (" + Vocabulary.PRE
                    + "); supported: " + String.join(", ", BY_NAME.keySet()));
        }
        return pre;
    }

    static List<String> supportedNames() {
        return List.copyOf(BY_NAME.keySet());
    }

    List<String> split(String text) {
        List<String> pieces = List.of(text);
        for (Pattern pattern : patterns) {
            List<String> next = new ArrayList<>(pieces.size() * 2);
            for (String piece : pieces) {
                Matcher m = pattern.matcher(piece);
                int end = 0;
                while (m.find()) {
                    if (m.start() > end) {
                        next.add(piece.substring(end, m.start()));
                    }
                    if (m.end() > m.start()) {
                        next.add(piece.substring(m.start(), m.end()));
                    }
                    end = m.end();
                }
                if (end < piece.length()) {
                    next.add(piece.substring(end));
                }
            }
            pieces = next;
        }
        return pieces;
    }

    /** Rewrites {@code \s}, {@code \S} and a {@code $} outside brackets into their Java equivalents. */
    static String toJava(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 32);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char escaped = regex.charAt(++i);
                switch (escaped) {
                    case 's' -> out.append("\\p{IsWhite_Space}");
                    case 'S' -> out.append("\\P{IsWhite_Space}");
                    default -> out.append(c).append(escaped);
                }
            } else if (c == '[' && !inClass) {
                inClass = true;
                out.append(c);
            } else if (c == ']' && inClass) {
                inClass = false;
                out.append(c);
            } else if (c == '$' && !inClass) {
                out.append("\\z");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
