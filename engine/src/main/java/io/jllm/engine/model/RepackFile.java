package io.jllm.engine.model;

import io.jllm.engine.parallel.RangeExecutor;
import io.jllm.gguf.GgmlType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A cache file of one model's repacked matrices, mapped read-only when read back.
 * <pre>
 * offset  bytes  field
 *      0      8  magic "JLLMRPAK"
 *      8      4  index length n (big-endian, like the whole index)
 *     12      4  CRC-32C of the index
 *     16      n  index: format version, {@link RepackKey}, file size, matrix count, then per matrix its name,
 *                type, columns, rows, offset, byte size and the CRC-32C of each {@value #PIECE_MIB} MiB piece
 *      ...       each matrix's bytes, at a multiple of {@value #ALIGNMENT}
 * </pre>
 * Reading checks every byte (the index and each piece against their CRCs, the pieces spread over the workers)
 * before anything is used, so a file cut short, damaged, foreign or made for another model or layout is
 * refused, never multiplied with. The check costs about what the first token would otherwise spend faulting
 * the pages in, plus a fraction of that for the checksums.
 * Files are written whole under a temporary name and moved into place, so readers never see half a file.
 */
final class RepackFile {
    static final String SUFFIX = ".repacked";
    private static final byte[] MAGIC = "JLLMRPAK".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 16;
    private static final long ALIGNMENT = 4096;
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int PIECE_MIB = 16;
    /** Bytes per checksum: small enough to spread a file evenly over the workers. */
    private static final long PIECE = PIECE_MIB << 20;

    /** One repacked matrix: {@code data} is the repacked copy. */
    record Matrix(String name, GgmlType type, int columns, int rows, MemorySegment data) {
    }

    private record Entry(String name, GgmlType type, int columns, int rows, long offset, long byteSize, int[] crcs) {
    }

    private RepackFile() {
    }

    /**
     * The matrices of the cache file {@code file} made for {@code key}, by name, mapped read-only; empty when
     * there is no such file or it is not a complete, undamaged file for this key. Checksums run on
     * {@code executor}'s workers.
     */
    static Optional<Map<String, Matrix>> read(Path file, RepackKey key, RangeExecutor executor) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                return Optional.empty();
            }
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            Optional<List<Entry>> entries = index(mapped, key);
            if (entries.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Matrix> matrices = new LinkedHashMap<>();
            List<int[]> expected = new ArrayList<>();
            for (Entry e : entries.get()) {
                matrices.put(e.name(), new Matrix(e.name(), e.type(), e.columns(), e.rows(),
                        mapped.asSlice(e.offset(), e.byteSize())));
                expected.add(e.crcs());
            }
            List<int[]> actual = crcs(List.copyOf(matrices.values()), executor);
            for (int i = 0; i < actual.size(); i++) {
                if (!Arrays.equals(actual.get(i), expected.get(i))) {
                    return Optional.empty();
                }
            }
            return Optional.of(matrices);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The model path recorded in a cache file, if it is one. */
    static Optional<String> modelPath(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            if (channel.read(header, 0) != HEADER_BYTES || !Arrays.equals(header.array(), 0, 8, MAGIC, 0, 8)) {
                return Optional.empty();
            }
            int length = header.getInt(8);
            if (length <= 0 || length > channel.size() - HEADER_BYTES) {
                return Optional.empty();
            }
            ByteBuffer index = ByteBuffer.allocate(length);
            channel.read(index, HEADER_BYTES);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(index.array()));
            in.readInt();
            return Optional.of(RepackKey.read(in).modelPath());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses and checks the index; empty if the file is not a complete file for {@code key}. */
    private static Optional<List<Entry>> index(MemorySegment mapped, RepackKey key) throws IOException {
        long size = mapped.byteSize();
        if (!Arrays.equals(mapped.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), MAGIC)) {
            return Optional.empty();
        }
        int length = mapped.get(INT_BE, 8);
        if (length <= 0 || length > size - HEADER_BYTES) {
            return Optional.empty();
        }
        MemorySegment index = mapped.asSlice(HEADER_BYTES, length);
        if (crc(index) != mapped.get(INT_BE, 12)) {
            return Optional.empty();
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(index.toArray(ValueLayout.JAVA_BYTE)));
        if (in.readInt() != VERSION || !RepackKey.read(in).equals(key) || in.readLong() != size) {
            return Optional.empty();
        }
        int count = in.readInt();
        if (count < 0 || count > length) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            GgmlType type = GgmlType.valueOf(in.readUTF());
            int columns = in.readInt();
            int rows = in.readInt();
            long offset = in.readLong();
            long byteSize = in.readLong();
            if (offset < HEADER_BYTES + length || offset % ALIGNMENT != 0 || byteSize < 0
                    || byteSize > size - offset) {
                return Optional.empty();
            }
            int[] crcs = new int[pieces(byteSize)];
            for (int p = 0; p < crcs.length; p++) {
                crcs[p] = in.readInt();
            }
            entries.add(new Entry(name, type, columns, rows, offset, byteSize, crcs));
        }
        return Optional.of(entries);
    }

    /**
     * Writes {@code matrices} as the cache file {@code file} for {@code key}: under a temporary name beside it,
     * then moved into place, replacing any older file. Checksums run on {@code executor}'s workers.
     */
    static void write(Path file, RepackKey key, List<Matrix> matrices, RangeExecutor executor) throws IOException {
        List<int[]> crcs = crcs(matrices, executor);
        int indexLength = index(key, matrices, crcs, 0).length;
        long dataStart = align(HEADER_BYTES + indexLength);
        byte[] index = index(key, matrices, crcs, dataStart);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES + index.length).put(MAGIC).putInt(index.length)
                .putInt(crc(MemorySegment.ofArray(index))).put(index).flip();
        Path temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                write(channel, header, 0);
                long at = dataStart;
                for (Matrix m : matrices) {
                    for (int p = 0; p < pieces(m.data().byteSize()); p++) {
                        write(channel, piece(m.data(), p).asByteBuffer(), at + p * PIECE);
                    }
                    at = align(at + m.data().byteSize());
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] index(RepackKey key, List<Matrix> matrices, List<int[]> crcs, long dataStart)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(VERSION);
        key.write(out);
        long at = dataStart;
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < matrices.size(); i++) {
            Matrix m = matrices.get(i);
            entries.add(new Entry(m.name(), m.type(), m.columns(), m.rows(), at, m.data().byteSize(), crcs.get(i)));
            at = align(at + m.data().byteSize());
        }
        long fileSize = entries.isEmpty() ? dataStart : entries.getLast().offset() + entries.getLast().byteSize();
        out.writeLong(fileSize);
        out.writeInt(entries.size());
        for (Entry e : entries) {
            out.writeUTF(e.name());
            out.writeUTF(e.type().name());
            out.writeInt(e.columns());
            out.writeInt(e.rows());
            out.writeLong(e.offset());
            out.writeLong(e.byteSize());
            for (int crc : e.crcs()) {
                out.writeInt(crc);
            }
        }
        return bytes.toByteArray();
    }

    private static void write(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        for (long position = at; buffer.hasRemaining(); ) {
            position += channel.write(buffer, position);
        }
    }

    /** The CRC-32C of every piece of every matrix, the pieces spread evenly over the workers. */
    private static List<int[]> crcs(List<Matrix> matrices, RangeExecutor executor) {
        record Piece(int[] crcs, int index, MemorySegment data) {
        }
        List<int[]> crcs = new ArrayList<>();
        List<Piece> pieces = new ArrayList<>();
        for (Matrix m : matrices) {
            int[] c = new int[pieces(m.data().byteSize())];
            crcs.add(c);
            for (int p = 0; p < c.length; p++) {
                pieces.add(new Piece(c, p, piece(m.data(), p)));
            }
        }
        executor.forRange(pieces.size(), 1, (worker, from, to) -> {
            for (Piece p : pieces.subList(from, to)) {
                p.crcs()[p.index()] = crc(p.data());
            }
        });
        return crcs;
    }

    private static int pieces(long byteSize) {
        return Math.toIntExact(Math.ceilDiv(byteSize, PIECE));
    }

    private static MemorySegment piece(MemorySegment data, int p) {
        return data.asSlice(p * PIECE, Math.min(PIECE, data.byteSize() - p * PIECE));
    }

    private static int crc(MemorySegment data) {
        CRC32C crc = new CRC32C();
        crc.update(data.asByteBuffer());
        return (int) crc.getValue();
    }

    private static long align(long offset) {
        return Math.ceilDiv(offset, ALIGNMENT) * ALIGNMENT;
    }
}
