#!/usr/bin/env python3
"""Writes the Q8_K activation fixture for ActivationQuantizationTest into gguf/src/test/resources/codec/, computed
by llama.cpp itself: its CPU backend's quantize_row_q8_K (on x86 the reference quantize_row_q8_K_ref of
ggml-quants.c), called through ctypes from the ggml libraries that llama-cpp-python builds.

Rerun from the repository root (made with llama-cpp-python 0.3.36 built from source, numpy 2.x):

    ~/.cache/jllm/llama-venv/bin/python gguf/src/test/python/make_q8_k_fixture.py

Files written, little-endian:
  Q8_K.activation.f32  input floats: 8 blocks of 256 (normal values with outliers, an all-zero block, a block
                       whose largest magnitude is negative, exact halves after scaling)
  Q8_K.activation.bin  llama.cpp's block_q8_K for each block: float d, 256 int8 quants, 16 int16 sums
"""
import ctypes
from pathlib import Path

import numpy as np
import llama_cpp

OUT = Path(__file__).resolve().parents[1] / "resources" / "codec"
LIB = Path(llama_cpp.__file__).parent / "lib"

rng = np.random.default_rng(2026)
x = (rng.standard_normal(8 * 256) * np.where(rng.random(8 * 256) < 0.02, 8.0, 1.0)).astype(np.float32)
x[256:512] = 0
x[600] = -9.5
x[768 + 5] = -20.0
x[768 + 6:768 + 40] = (np.float32(-20.0) * np.arange(-17, 17, dtype=np.float32) * np.float32(0.5) / np.float32(127))

cpu = ctypes.CDLL(str(LIB / "libggml-cpu.so"))
cpu.ggml_cpu_init()  # as llama.cpp does before computing (it fills the fp16 tables)
out = np.zeros(8 * 292, dtype=np.uint8)
cpu.quantize_row_q8_K(x.ctypes.data_as(ctypes.c_void_p), out.ctypes.data_as(ctypes.c_void_p), ctypes.c_int64(x.size))
OUT.joinpath("Q8_K.activation.f32").write_bytes(x.tobytes())
OUT.joinpath("Q8_K.activation.bin").write_bytes(out.tobytes())
