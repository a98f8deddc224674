package io.jllm.tools.dispatch;

import io.jllm.engine.tokenizer.StreamingDecoder;
import io.jllm.engine.tokenizer.Tokenizer;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level vocabulary for tests: ids 0 to 255 are single bytes, 256 is {@code <eos>}, then control tokens
 * (no bytes, like real special tokens) and multi-byte pieces as they are added. Pieces may end in the middle of
 * a UTF-8 character, as real BPE tokens do. Encoding takes the longest piece at each point.
 */
final class ByteTokenizer implements Tokenizer {

    static final int EOS = 256;

    private final List<byte[]> pieces = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    ByteTokenizer() {
        for (int b = 0; b < 256; b++) {
            pieces.add(new byte[] {(byte) b});
            texts.add("<0x%02X>".formatted(b));
        }
        pieces.add(new byte[0]);
        texts.add("<eos>");
    }

    /** Adds a piece (or finds it) and returns its id. */
    int piece(byte[] bytes) {
        if (bytes.length == 1) {
            return bytes[0] & 0xff;
        }
        for (int i = 0; i < pieces.size(); i++) {
            if (Arrays.equals(pieces.get(i), bytes) && bytes.length > 0) {
                return i;
            }
        }
        pieces.add(bytes.clone());
        texts.add(new String(bytes, StandardCharsets.UTF_8));
        return pieces.size() - 1;
    }

    int piece(String text) {
        return piece(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a control token: it decodes to no bytes, its vocabulary text is {@code text}. */
    int control(String text) {
        pieces.add(new byte[0]);
        texts.add(text);
        return pieces.size() - 1;
    }

    /** Ids for each text, adding the pieces. */
    int[] pieces(String... texts) {
        int[] ids = new int[texts.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = piece(texts[i]);
        }
        return ids;
    }

    @Override
    public int vocabularySize() {
        return pieces.size();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        IntArrayList ids = new IntArrayList();
        int at = 0;
        while (at < bytes.length) {
            int best = bytes[at] & 0xff;
            int length = 1;
            for (int i = EOS + 1; i < pieces.size(); i++) {
                byte[] p = pieces.get(i);
                if (p.length > length && at + p.length <= bytes.length
                        && Arrays.equals(p, 0, p.length, bytes, at, at + p.length)) {
                    best = i;
                    length = p.length;
                }
            }
            ids.add(best);
            at += length;
        }
        return ids.toIntArray();
    }

    @Override
    public byte[] tokenBytes(int token) {
        return pieces.get(token).clone();
    }

    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t : tokens) {
            out.writeBytes(pieces.get(t));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder() {
            private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            private ByteBuffer pending = ByteBuffer.allocate(0);

            @Override
            public String next(int token) {
                byte[] bytes = pieces.get(token);
                ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length).put(pending).put(bytes).flip();
                CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
                utf8.decode(in, out, false);
                pending = in.slice();
                return out.flip().toString();
            }

            @Override
            public String flush() {
                String rest = new String(pending.array(), pending.arrayOffset() + pending.position(),
                        pending.remaining(), StandardCharsets.UTF_8);
                pending = ByteBuffer.allocate(0);
                return rest;
            }
        };
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return token == EOS;
    }

    @Override
    public int bosToken() {
        return -1;
    }

    @Override
    public int eosToken() {
        return EOS;
    }

    @Override
    public String tokenText(int token) {
        return texts.get(token);
    }
}
