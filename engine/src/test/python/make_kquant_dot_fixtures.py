#!/usr/bin/env python3
"""Writes the fixtures of KQuantLlamaCppTest into engine/src/test/resources/kquant/, computed by llama.cpp itself
through ctypes on the ggml libraries that llama-cpp-python builds: weights quantized by ggml_quantize_chunk,
activations quantized by the CPU backend's quantize_row_q8_K, and every row's dot product by
ggml_vec_dot_q4_K_q8_K / ggml_vec_dot_q6_K_q8_K (the kernels llama.cpp runs for these types on this CPU).

Rerun from the repository root (made with llama-cpp-python 0.3.36 built from source with native flags on an
AVX-512 x86 CPU, numpy 2.x):

    ~/.cache/jllm/llama-venv/bin/python engine/src/test/python/make_kquant_dot_fixtures.py

Files written, little-endian:
  activations.f32    3 vectors of 1024 floats (normal, with outliers; vector 2 has an all-zero block)
  <TYPE>.weights.bin 8 rows of 1024 weights quantized to TYPE (Q4_K, Q6_K)
  <TYPE>.dots.f32    llama.cpp's dot product of each row with each vector, vector-major (3 x 8 floats)
"""
import ctypes
from pathlib import Path

import numpy as np
import llama_cpp

OUT = Path(__file__).resolve().parents[1] / "resources" / "kquant"
LIB = Path(llama_cpp.__file__).parent / "lib"
ROWS, COLUMNS, VECTORS = 8, 1024, 3
TYPES = {"Q4_K": (12, 144), "Q6_K": (14, 210)}  # ggml type id, bytes per block of 256

base = ctypes.CDLL(str(LIB / "libggml-base.so"))
cpu = ctypes.CDLL(str(LIB / "libggml-cpu.so"))
cpu.ggml_cpu_init()  # fills the fp16 conversion table the dot products read
base.ggml_quantize_chunk.restype = ctypes.c_size_t
base.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64,
                                     ctypes.c_int64, ctypes.c_void_p]

rng = np.random.default_rng(7)
x = (rng.standard_normal((VECTORS, COLUMNS)) * np.where(rng.random((VECTORS, COLUMNS)) < 0.02, 8.0, 1.0)).astype(np.float32)
x[2, 256:512] = 0
q8 = np.zeros((VECTORS, COLUMNS // 256 * 292), dtype=np.uint8)
for v in range(VECTORS):
    cpu.quantize_row_q8_K(x[v].ctypes.data_as(ctypes.c_void_p), q8[v].ctypes.data_as(ctypes.c_void_p),
                          ctypes.c_int64(COLUMNS))
OUT.mkdir(parents=True, exist_ok=True)
OUT.joinpath("activations.f32").write_bytes(x.tobytes())

for name, (type_id, block_bytes) in TYPES.items():
    w = (rng.standard_normal((ROWS, COLUMNS)) * 0.05).astype(np.float32)
    row_bytes = COLUMNS // 256 * block_bytes
    q = np.zeros(ROWS * row_bytes, dtype=np.uint8)
    base.ggml_quantize_chunk(type_id, w.ctypes.data, q.ctypes.data, 0, ROWS, COLUMNS, None)
    dot = getattr(cpu, "ggml_vec_dot_" + name.lower().replace("_k", "_K") + "_q8_K")
    dots = np.zeros((VECTORS, ROWS), dtype=np.float32)
    s = ctypes.c_float()
    for v in range(VECTORS):
        for r in range(ROWS):
            dot(ctypes.c_int(COLUMNS), ctypes.byref(s), ctypes.c_size_t(0),
                ctypes.c_void_p(q.ctypes.data + r * row_bytes), ctypes.c_size_t(0),
                q8[v].ctypes.data_as(ctypes.c_void_p), ctypes.c_size_t(0), ctypes.c_int(1))
            dots[v, r] = s.value
    OUT.joinpath(name + ".weights.bin").write_bytes(q.tobytes())
    OUT.joinpath(name + ".dots.f32").write_bytes(dots.tobytes())
    print(name, dots[:, :4])
