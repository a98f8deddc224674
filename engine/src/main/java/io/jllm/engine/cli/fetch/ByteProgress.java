package io.jllm.engine.cli.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/** Copies a stream while showing "done / total MiB" on one line that rewrites itself. */
final class ByteProgress {

    private static final int BUFFER = 1 << 20;
    private static final long STEP = 4L << 20;

    private ByteProgress() {
    }

    /**
     * @param total the expected byte count, or -1 when unknown
     * @return the bytes copied
     */
    static long copy(InputStream in, OutputStream out, long total, String label, PrintStream progress)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long done = 0;
        long shown = -STEP;
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            done += n;
            if (done - shown >= STEP) {
                show(label, done, total, progress);
                shown = done;
            }
        }
        show(label, done, total, progress);
        progress.println();
        return done;
    }

    private static void show(String label, long done, long total, PrintStream progress) {
        if (total > 0) {
            progress.printf(Locale.ROOT, "\r  %s: %.1f / %.1f MiB (%d%%)", label, done / 1048576.0, total / 1048576.0,
                    done * 100 / total);
        } else {
            progress.printf(Locale.ROOT, "\r  %s: %.1f MiB", label, done / 1048576.0);
        }
        progress.flush();
    }
}
