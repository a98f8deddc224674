package io.jllm.engine.model;

import io.jllm.engine.quant.Kernels;
import io.jllm.engine.quant.MatMulKernel;
import io.jllm.engine.quant.Repacker;
import io.jllm.gguf.GgmlType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * What a cache file of repacked weights was made from; a file whose key differs from the model's is stale.
 * The model file is known by its real path, size and modification time, and by a digest of its header (all
 * metadata and tensor infos) and of {@value #SAMPLES} blocks sampled across its tensor data, which catches a file
 * rewritten in place with its old time. The layout is known by a digest of each repacking type's output on a
 * fixed probe matrix, so any change to how weights are placed (or to the vector width) makes old files stale
 * without anyone having to remember a version number. The digests are CRC-32C: they guard against accidents,
 * not attacks, and unlike SHA-256 they are fast before the JIT has compiled anything (3 MB of header: 9 ms
 * against 370 ms).
 */
record RepackKey(String modelPath, long modelSize, long modelModified, String modelDigest, String layoutDigest) {
    static final int SAMPLES = 16;
    private static final int SAMPLE_BYTES = 4096;
    /** The layout digest, computed once per process. */
    private static final String LAYOUTS = digestLayouts();

    /** The key of the model file at {@code model}, whose tensor data starts at {@code dataOffset}. */
    static RepackKey of(Path model, long dataOffset) throws IOException {
        Path real = model.toRealPath();
        long size = Files.size(real);
        long modified = Files.getLastModifiedTime(real).to(TimeUnit.MICROSECONDS);
        return new RepackKey(real.toString(), size, modified, digestModel(real, size, dataOffset), LAYOUTS);
    }

    void write(DataOutput out) throws IOException {
        out.writeUTF(modelPath);
        out.writeLong(modelSize);
        out.writeLong(modelModified);
        out.writeUTF(modelDigest);
        out.writeUTF(layoutDigest);
    }

    static RepackKey read(DataInput in) throws IOException {
        return new RepackKey(in.readUTF(), in.readLong(), in.readLong(), in.readUTF(), in.readUTF());
    }

    private static String digestModel(Path model, long size, long dataOffset) throws IOException {
        if (dataOffset < 0 || dataOffset > size) {
            throw new IOException(model + ": tensor data offset " + dataOffset + " outside the file of " + size
                    + " bytes");
        }
        CRC32C header = new CRC32C();
        CRC32C samples = new CRC32C();
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            digest(channel, 0, dataOffset, header);
            long data = size - dataOffset;
            for (int i = 0; i < SAMPLES; i++) {
                long at = dataOffset + Math.max(0, data - SAMPLE_BYTES) * i / (SAMPLES - 1);
                digest(channel, at, Math.min(SAMPLE_BYTES, data), samples);
            }
        }
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits((int) header.getValue()) + hex.toHexDigits((int) samples.getValue());
    }

    private static void digest(FileChannel channel, long from, long length, Checksum digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        for (long at = from, end = from + length; at < end; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("the model file ended at " + at + " while reading its fingerprint");
            }
            digest.update(buffer.flip());
            at += read;
        }
    }

    private static String digestLayouts() {
        CRC32C digest = new CRC32C();
        Random random = new Random(0x5EED);
        for (GgmlType type : GgmlType.values()) {
            Optional<MatMulKernel> kernel = Kernels.find(type);
            if (kernel.isEmpty() || type.blockSize() == 0) {
                continue;
            }
            int rows = 5;
            int columns = 16384 + 3 * type.blockSize();
            byte[] blocks = new byte[rows * columns / type.blockSize() * type.blockBytes()];
            random.nextBytes(blocks);
            Optional<Repacker> repacker = kernel.get().repacker(MemorySegment.ofArray(blocks), columns, rows);
            if (repacker.isPresent()) {
                MemorySegment copy = Arena.ofAuto().allocate(repacker.get().byteSize());
                repacker.get().fill(copy, 0, repacker.get().pieces());
                digest.update(type.name().getBytes(StandardCharsets.UTF_8));
                digest.update(copy.asByteBuffer());
            }
        }
        return HexFormat.of().toHexDigits((int) digest.getValue());
    }
}
