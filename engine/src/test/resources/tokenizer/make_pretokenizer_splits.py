#!/usr/bin/env python3
"""Reference word splits for jllm's pre-tokenizers, computed with the Python `regex` module.

llama.cpp splits text for byte-level BPE with a list of regexes (src/llama-vocab.cpp, one list per
tokenizer.ggml.pre family): each regex splits every piece left by the previous one, and the text between
matches stays a piece of its own. This script runs the same lists with an independent regex engine on
llama.cpp's tokenizer test strings plus a few extra cases, and writes pretokenizer-splits.json.

Usage: python3 make_pretokenizer_splits.py ../../../../../shared/testdata/vocab/ggml-vocab-gpt-2.gguf.inp
`$` is written as `\\Z` because Python's `$` also matches before a final newline, unlike llama.cpp's.
"""
import json
import sys

import regex

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"
LLAMA3 = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
          r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2 = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
         r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
BLOOM = " ?[^(\\s|.,!?\u2026\u3002\uFF0C\u3001\u0964\u06D4\u060C)]+"
CJK_HANGUL = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+"
# DeepSeek's cased-letter class, built from its ranges so that no text tool can normalize the code points.
DEEPSEEK_RANGES = [
    (0x41, 0x5A), (0x61, 0x7A), (0xB5, 0xB5), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x1BA), (0x1BC, 0x1BF),
    (0x1C4, 0x293), (0x295, 0x2AF), (0x370, 0x373), (0x376, 0x377), (0x37B, 0x37D), (0x37F, 0x37F),
    (0x386, 0x386), (0x388, 0x38A), (0x38C, 0x38C), (0x38E, 0x3A1), (0x3A3, 0x3F5), (0x3F7, 0x481),
    (0x48A, 0x52F), (0x531, 0x556), (0x10A0, 0x10C5), (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1C90, 0x1CBA),
    (0x1CBD, 0x1CBF), (0x1D00, 0x1D2B), (0x1D6B, 0x1D77), (0x1D79, 0x1D9A), (0x1E00, 0x1F15), (0x1F18, 0x1F1D),
    (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D),
    (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC),
    (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC), (0x2102, 0x2102),
    (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D), (0x2124, 0x2124), (0x2126, 0x2126),
    (0x2128, 0x2128), (0x212A, 0x212D), (0x212F, 0x2134), (0x2139, 0x2139), (0x213C, 0x213F), (0x2145, 0x2149),
    (0x214E, 0x214E), (0x2183, 0x2184), (0x2C00, 0x2C7B), (0x2C7E, 0x2CE4), (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3),
    (0xA640, 0xA66D), (0xA680, 0xA69B), (0xA722, 0xA76F), (0xA771, 0xA787), (0xA78B, 0xA78E), (0xAB70, 0xABBF),
    (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0x10400, 0x1044F),
    (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2), (0x118A0, 0x118DF),
    (0x1E900, 0x1E943),
]
DEEPSEEK_LETTERS = r"\s?[" + "".join(chr(a) + "-" + chr(b) for a, b in DEEPSEEK_RANGES) + "]+"

FAMILIES = {
    "default": [r"[\p{P}\$\+<=>\^~\|]+", GPT2, r"\p{N}+", "[0-9][0-9][0-9]"],
    "gpt-2": [GPT2],
    "llama-bpe": [LLAMA3],
    "qwen2": [QWEN2],
    "starcoder": [r"\p{N}", GPT2],
    "falcon": [r"[\p{P}\$\+<=>\^~\|`]+", GPT2, "[0-9][0-9][0-9]"],
    "deepseek-llm": ["[\r\n]", DEEPSEEK_LETTERS,
                     "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+", r"\s+\Z", CJK_HANGUL,
                     r"\p{N}+"],
    "deepseek-coder": ["[\r\n]", r"\s?\p{L}+", r"\s?\p{P}+", CJK_HANGUL, r"\p{N}"],
    "bloom": [BLOOM],
    "viking": [BLOOM, r"\p{N}"],
}

EXTRA = [
    "I'VE 'S it's THEY'LL we'D",
    "a\u3000b\u00A0\u00A0c \u2003 d",
    "line\r\nnext\r\n\r\n  end  ",
    "12345678 \u0661\u0662\u0663 \u00B2",
    "x\u2028y\u0085z",
    "\u1F7D\u2126\u212A \u03C9\u03A9K",
]


def split(text, patterns):
    pieces = [text]
    for pattern in patterns:
        compiled = regex.compile(pattern)
        out = []
        for piece in pieces:
            end = 0
            for m in compiled.finditer(piece):
                if m.start() > end:
                    out.append(piece[end:m.start()])
                if m.end() > m.start():
                    out.append(m.group())
                end = m.end()
            if end < len(piece):
                out.append(piece[end:])
        pieces = out
    return pieces


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        inputs = f.read().split("\n__ggml_vocab_test__\n")[:-1]
    inputs += EXTRA
    result = {"inputs": inputs,
              "splits": {name: [split(t, pats) for t in inputs] for name, pats in FAMILIES.items()}}
    with open("pretokenizer-splits.json", "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
