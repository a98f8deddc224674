"""One llama.cpp measurement, the same as `jllm bench`: prints one JSON object on stdout.

pp: one llama_decode of a batch of p tokens into an empty KV cache (logits of the last token only).
tg: n llama_decode calls of one token each, from an empty KV cache.
Both use the token ids of `jllm bench`: token i = (1000 + 7919 * i) mod vocabulary size.
A warm-up (one pp and one tg) runs first and is not counted; the cache is cleared before every test.
"""
import argparse
import ctypes
import json
import statistics
import sys
import time

import llama_cpp as L


def token_ids(count, vocab):
    return [(1000 + 7919 * i) % vocab for i in range(count)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-m", "--model", required=True)
    ap.add_argument("-p", type=int, default=128)
    ap.add_argument("-n", type=int, default=64)
    ap.add_argument("-r", type=int, default=3)
    ap.add_argument("-t", type=int, default=2)
    a = ap.parse_args()

    L.llama_backend_init()
    start = time.perf_counter()
    mparams = L.llama_model_default_params()
    mparams.use_mmap = True
    model = L.llama_model_load_from_file(a.model.encode(), mparams)
    if not model:
        sys.exit(f"llama.cpp could not load {a.model}")
    cparams = L.llama_context_default_params()
    cparams.n_ctx = max(a.p, a.n) + 16
    cparams.n_batch = max(a.p, 1)
    cparams.n_ubatch = max(a.p, 1)
    cparams.n_threads = a.t
    cparams.n_threads_batch = a.t
    ctx = L.llama_init_from_model(model, cparams)
    load_s = time.perf_counter() - start
    vocab = L.llama_vocab_n_tokens(L.llama_model_get_vocab(model))
    memory = L.llama_get_memory(ctx)

    def run(tokens):
        array = (L.llama_token * len(tokens))(*tokens)
        if L.llama_decode(ctx, L.llama_batch_get_one(array, len(tokens))) != 0:
            sys.exit("llama_decode failed")
        L.llama_synchronize(ctx)

    def prompt():
        L.llama_memory_clear(memory, True)
        t0 = time.perf_counter()
        run(token_ids(a.p, vocab))
        return time.perf_counter() - t0

    def generate():
        L.llama_memory_clear(memory, True)
        t0 = time.perf_counter()
        for token in token_ids(a.n, vocab):
            run([token])
        return time.perf_counter() - t0

    first_token_s = prompt()
    generate()
    pp = [a.p / prompt() for _ in range(a.r)]
    tg = [a.n / generate() for _ in range(a.r)]

    def summary(tokens, samples):
        return {"tokens": tokens, "mean_tps": statistics.fmean(samples),
                "sd_tps": statistics.stdev(samples) if len(samples) > 1 else 0.0, "samples_tps": samples}

    print(json.dumps({"engine": "llama.cpp", "model": a.model, "threads": a.t, "load_ms": load_s * 1e3,
                      "first_token_ms": first_token_s * 1e3,
                      "pp": summary(a.p, pp), "tg": summary(a.n, tg)}))
    L.llama_free(ctx)
    L.llama_model_free(model)


if __name__ == "__main__":
    main()
