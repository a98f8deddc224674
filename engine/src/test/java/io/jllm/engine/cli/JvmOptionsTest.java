package io.jllm.engine.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** jllm's JVM options: one list, read the way java reads an argfile, and the one the launcher passes. */
class JvmOptionsTest {

    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

    @Test
    void readsOneOptionPerLineAndSkipsCommentsAsAJavaArgfileDoes() {
        assertThat(JvmOptions.parse("# the GC\n-XX:+UseSerialGC\n\n  -Xss4m   # stack\n--add-modules a.b\n"))
                .containsExactly("-XX:+UseSerialGC", "-Xss4m", "--add-modules", "a.b");
    }

    @Test
    void theShippedOptionsAddTheVectorModuleAndBoundTheYoungGeneration() {
        assertThat(JvmOptions.load()).containsSubsequence("--add-modules", "jdk.incubator.vector")
                .contains("--enable-native-access=ALL-UNNAMED", "-Xmn32m")
                .noneMatch(option -> option.startsWith("-Xmx"));
    }

    @Test
    void theLauncherPassesTheSameFileAndNoOptionsOfItsOwn() throws IOException {
        String launcher = Files.readString(CHECKOUT.resolve("jllm"));
        Path options = CHECKOUT.resolve("engine/src/main/resources/io/jllm/engine/cli/" + JvmOptions.RESOURCE);
        assertThat(options).exists();
        assertThat(JvmOptions.parse(Files.readString(options))).isEqualTo(JvmOptions.load());
        assertThat(launcher).contains("options=\"$root/" + CHECKOUT.relativize(options) + "\"")
                .contains("\"@$options\" ${JLLM_JAVA_OPTS:-} -jar")
                .doesNotContain("-XX:", "-Xss", "--add-modules");
    }
}
