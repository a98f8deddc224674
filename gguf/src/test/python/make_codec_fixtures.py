#!/usr/bin/env python3
"""Writes the reference fixtures for the codec tests (io.jllm.gguf.codec) into
gguf/src/test/resources/codec/, using the `gguf` Python package (gguf-py/gguf/quants.py of llama.cpp)
as the numeric reference.

Rerun from the repository root (needs numpy and gguf; tested with gguf 0.19.0, numpy 2.4):

    python3 gguf/src/test/python/make_codec_fixtures.py [path/to/shared/testdata/tiny]

The output is deterministic (fixed seeds), so rerunning with the same package versions leaves the files unchanged.

Files written, all little-endian:
  <TYPE>.dequant.bin  raw blocks of TYPE (quantized by quants.py where it can, otherwise random bytes whose
                      fp16 scale fields hold finite random values)
  <TYPE>.dequant.f32  quants.dequantize of those bytes, float32
  <TYPE>.quant.f32    input floats for the quantizer test (random blocks with outliers and corner cases)
  <TYPE>.quant.bin    quants.quantize of those floats (only for the types quants.py can quantize)
  real-tensors.txt    one line per tensor of the tiny llama fixture models:
                      "<file> <tensor> <type> <elements> <sha256 of quants.dequantize(...) as float32 LE>"
"""
import hashlib
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType as T, quants

OUT = Path(__file__).resolve().parents[1] / "resources" / "codec"
TINY = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[4] / ".." / "shared" / "testdata" / "tiny"

ELEMENTS = 2048  # 8 super-blocks of 256, 64 blocks of 32

DEQUANT_TYPES = [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1,
                 T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K, T.IQ4_NL, T.IQ4_XS]
QUANT_TYPES = [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1]

# Byte offsets of the fp16 scale fields inside one block, for the types quants.py cannot quantize.
FP16_FIELDS = {
    T.Q2_K: (80, 82),
    T.Q3_K: (108,),
    T.Q4_K: (0, 2),
    T.Q5_K: (0, 2),
    T.Q6_K: (208,),
    T.IQ4_NL: (0,),
    T.IQ4_XS: (0,),
}

LLAMA_FILES = ["llama-f32.gguf", "llama-f16.gguf", "llama-bf16.gguf", "llama-q8_0-pure.gguf",
               "llama-q4_0-pure.gguf", "llama-q4_1-pure.gguf", "llama-q5_0-pure.gguf", "llama-q5_1-pure.gguf",
               "llama-q2_k-pure.gguf", "llama-q3_k-pure.gguf", "llama-q4_k-pure.gguf", "llama-q5_k-pure.gguf",
               "llama-q6_k-pure.gguf", "llama-iq4_nl-pure.gguf", "llama-iq4_xs-pure.gguf"]


def random_weights(rng: np.random.Generator) -> np.ndarray:
    """Blocks of 32 with scales spread over five decades (kept below the fp16 range), outliers, and corner cases."""
    x = rng.standard_normal(ELEMENTS).astype(np.float32)
    blocks = x.reshape(-1, 32)
    blocks *= (10.0 ** rng.uniform(-3, 2, size=(blocks.shape[0], 1))).astype(np.float32)
    outliers = rng.random(blocks.shape) < 0.02
    blocks[outliers] *= rng.uniform(8, 40, size=outliers.sum()).astype(np.float32)
    blocks[1] = 0.0                                  # all zero: scale 0, no division
    blocks[2] = 0.75                                 # constant positive block
    blocks[3] = -np.abs(blocks[3])                     # all negative
    blocks[4, 7] = -5 * np.abs(blocks[4]).max()     # the extreme value is negative
    blocks[5] *= np.float32(1e-6)                    # fp16 scale in the subnormal range
    blocks[6] = np.arange(32, dtype=np.float32) - 16  # exact grid values: ties in rounding
    blocks[7] = (np.arange(32, dtype=np.float32) - 15.5) / 2
    return x


def float_specials(rng: np.random.Generator) -> np.ndarray:
    """Weights plus values that test F16/BF16 conversion: overflow, subnormals, ties, infinities, NaNs."""
    x = random_weights(rng)
    bits = x.view(np.uint32)
    specials = np.array([0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001,
                         0x477fe000, 0x477ff000, 0x477fefff, 0x47800000,   # fp16 max, tie to inf, below tie, 2^16
                         0x33800000, 0x33000000, 0x33000001, 0x38800000,   # fp16 subnormal min, half of it, ...
                         0x3f808000, 0x3f818000, 0x3f808001, 0x3f80ffff,   # bf16 ties (even / odd) and neighbours
                         0x7f7fffff, 0x00000001, 0x807fffff, 0x3f800fff], dtype=np.uint32)
    bits[-len(specials):] = specials
    return x


def write(name: str, array: np.ndarray) -> None:
    (OUT / name).write_bytes(np.ascontiguousarray(array).tobytes())


def raw_blocks(qtype: T, rng: np.random.Generator) -> np.ndarray:
    if qtype in FP16_FIELDS:
        block_size, type_size = quants.GGML_QUANT_SIZES[qtype]
        raw = rng.integers(0, 256, size=(ELEMENTS // block_size, type_size), dtype=np.uint8)
        for offset in FP16_FIELDS[qtype]:
            scale = (rng.standard_normal(raw.shape[0]) * 10.0 ** rng.uniform(-4, 0, raw.shape[0])).astype(np.float16)
            raw[:, offset:offset + 2] = scale.view(np.uint8).reshape(-1, 2)
        return raw.reshape(-1)
    if qtype == T.F16:
        x = float_specials(rng)
        return quants.quantize(x, qtype).view(np.uint8)
    x = float_specials(rng) if qtype in (T.F32, T.BF16) else random_weights(rng)
    return quants.quantize(x, qtype).view(np.uint8).reshape(-1)


def dequantize_bytes(raw: np.ndarray, qtype: T) -> np.ndarray:
    block_size, type_size = quants.GGML_QUANT_SIZES[qtype]
    return quants.dequantize(raw.reshape(1, -1), qtype).astype("<f4", copy=False).reshape(-1)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for i, qtype in enumerate(DEQUANT_TYPES):
        rng = np.random.default_rng(1000 + i)
        raw = raw_blocks(qtype, rng)
        write(f"{qtype.name}.dequant.bin", raw)
        write(f"{qtype.name}.dequant.f32", dequantize_bytes(raw, qtype))
    for i, qtype in enumerate(QUANT_TYPES):
        rng = np.random.default_rng(2000 + i)
        x = float_specials(rng) if qtype in (T.F32, T.F16, T.BF16) else random_weights(rng)
        write(f"{qtype.name}.quant.f32", x.astype("<f4"))
        write(f"{qtype.name}.quant.bin", quants.quantize(x, qtype).view(np.uint8).reshape(-1))
    lines = []
    for file in LLAMA_FILES:
        reader = GGUFReader(TINY / file)
        for t in reader.tensors:
            values = quants.dequantize(t.data, t.tensor_type).astype("<f4", copy=False)
            digest = hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()
            lines.append(f"{file} {t.name} {t.tensor_type.name} {values.size} {digest}")
    (OUT / "real-tensors.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
