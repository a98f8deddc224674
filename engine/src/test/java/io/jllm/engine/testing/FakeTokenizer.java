package io.jllm.engine.testing;

import io.jllm.engine.tokenizer.StreamingDecoder;
import io.jllm.engine.tokenizer.Tokenizer;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A vocabulary of whole strings: token i stands for {@code pieces.get(i)}. Encoding takes the longest
 * matching piece at each point, after {@code <bos>} (if in the vocabulary) when special tokens are asked for.
 * {@code <eos>} and {@code <eot>} end a generation and decode to nothing.
 */
public final class FakeTokenizer implements Tokenizer {

    private final List<String> pieces;

    public FakeTokenizer(String... pieces) {
        this.pieces = List.of(pieces);
    }

    public int id(String piece) {
        int id = pieces.indexOf(piece);
        if (id < 0) {
            throw new IllegalArgumentException("no token " + piece);
        }
        return id;
    }

    public int[] ids(String... pieces) {
        int[] ids = new int[pieces.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(pieces[i]);
        }
        return ids;
    }

    @Override
    public int vocabularySize() {
        return pieces.size();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntArrayList ids = new IntArrayList();
        if (addSpecial && bosToken() >= 0) {
            ids.add(bosToken());
        }
        int at = 0;
        while (at < text.length()) {
            int best = -1;
            for (int i = 0; i < pieces.size(); i++) {
                if (!pieces.get(i).isEmpty() && text.startsWith(pieces.get(i), at)
                        && (best < 0 || pieces.get(i).length() > pieces.get(best).length())) {
                    best = i;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException("cannot encode " + text.substring(at));
            }
            ids.add(best);
            at += pieces.get(best).length();
        }
        return ids.toIntArray();
    }

    @Override
    public byte[] tokenBytes(int token) {
        return isEndOfGeneration(token) ? new byte[0] : pieces.get(token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(new String(tokenBytes(t), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder() {
            @Override
            public String next(int token) {
                return new String(tokenBytes(token), StandardCharsets.UTF_8);
            }

            @Override
            public String flush() {
                return "";
            }
        };
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return pieces.get(token).equals("<eos>") || pieces.get(token).equals("<eot>");
    }

    @Override
    public int bosToken() {
        return pieces.indexOf("<bos>");
    }

    @Override
    public int eosToken() {
        return pieces.indexOf("<eos>");
    }

    @Override
    public String tokenText(int token) {
        return pieces.get(token);
    }
}
