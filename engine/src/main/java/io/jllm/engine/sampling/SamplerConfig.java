package io.jllm.engine.sampling;

/**
 * How to pick the next token, with llama.cpp's option meanings. A value that switches a stage off:
 * {@code topK = 0}, {@code topP = 1}, {@code minP = 0}, {@code repeatPenalty = 1} with zero frequency and
 * presence penalties, or {@code penaltyLastN = 0}. {@code temperature = 0} means greedy decoding.
 *
 * @param temperature      divides the logits; 0 picks the most likely token
 * @param topK             keep the k most likely tokens
 * @param topP             keep the most likely tokens whose probabilities sum to at least p
 * @param minP             keep tokens at least p times as likely as the most likely one
 * @param repeatPenalty    pushes tokens seen in the last {@code penaltyLastN} tokens away (greater than 1)
 * @param frequencyPenalty subtracted from a seen token's logit once per occurrence
 * @param presencePenalty  subtracted from a seen token's logit once
 * @param penaltyLastN     how many of the latest context tokens the penalties look at
 * @param seed             seeds the random choice: the same seed gives the same tokens
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP, float repeatPenalty,
                            float frequencyPenalty, float presencePenalty, int penaltyLastN, long seed) {

    public SamplerConfig {
        require(temperature >= 0 && Float.isFinite(temperature), "temperature must be >= 0 and finite", temperature);
        require(topK >= 0, "topK must be >= 0 (0 disables it)", topK);
        require(topP > 0 && topP <= 1, "topP must be in (0, 1]", topP);
        require(minP >= 0 && minP <= 1, "minP must be in [0, 1]", minP);
        require(repeatPenalty > 0 && Float.isFinite(repeatPenalty),
                "repeatPenalty must be > 0 and finite (1 disables it)", repeatPenalty);
        require(Float.isFinite(frequencyPenalty), "frequencyPenalty must be finite", frequencyPenalty);
        require(Float.isFinite(presencePenalty), "presencePenalty must be finite", presencePenalty);
        require(penaltyLastN >= 0, "penaltyLastN must be >= 0 (0 disables penalties)", penaltyLastN);
    }

    private static void require(boolean valid, String rule, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
    }

    /** llama.cpp's defaults (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties), seed 0. */
    public static SamplerConfig defaults() {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1.0f, 0f, 0f, 64, 0L);
    }

    /** The defaults at temperature 0: always the most likely token. */
    public static SamplerConfig greedy() {
        return defaults().withTemperature(0f);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    /** True when no penalty would change any logit. */
    public boolean penaltiesDisabled() {
        return penaltyLastN == 0 || (repeatPenalty == 1 && frequencyPenalty == 0 && presencePenalty == 0);
    }

    public SamplerConfig withTemperature(float value) {
        return new SamplerConfig(value, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty,
                penaltyLastN, seed);
    }

    public SamplerConfig withTopK(int value) {
        return new SamplerConfig(temperature, value, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty,
                penaltyLastN, seed);
    }

    public SamplerConfig withTopP(float value) {
        return new SamplerConfig(temperature, topK, value, minP, repeatPenalty, frequencyPenalty, presencePenalty,
                penaltyLastN, seed);
    }

    public SamplerConfig withMinP(float value) {
        return new SamplerConfig(temperature, topK, topP, value, repeatPenalty, frequencyPenalty, presencePenalty,
                penaltyLastN, seed);
    }

    /** Sets the repetition, frequency and presence penalties and the window they look at. */
    public SamplerConfig withPenalties(float repeat, float frequency, float presence, int lastN) {
        return new SamplerConfig(temperature, topK, topP, minP, repeat, frequency, presence, lastN, seed);
    }

    public SamplerConfig withSeed(long value) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty,
                penaltyLastN, value);
    }
}
