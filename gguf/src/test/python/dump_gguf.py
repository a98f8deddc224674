#!/usr/bin/env python3
"""Prints a canonical JSON dump of a GGUF file as the reference `gguf` package (pip install gguf) reads it.

The Java tests derive the same text from what they wrote or parsed and compare the two, so the format is
fixed: json.dumps(indent=1, ensure_ascii=True); integers as numbers; FLOAT32/FLOAT64 as the hex of their
bits ("0x3f800000"), so no decimal formatting is involved; every array as an object with its element type,
length and values. With --listing, arrays longer than 16 elements keep only their first 4 values and the
SHA-256 of all values (one compact JSON value per line), which keeps vocabulary listings small. Tensors
carry name, ggml type, shape in ggml order (ne0 first), offset relative to the data section, byte size and
the SHA-256 of their data.

usage: dump_gguf.py [--listing] FILE
"""
import hashlib
import json
import sys

import numpy as np
from gguf import GGUFReader, GGUFValueType

LISTING_FULL_ARRAY_MAX = 16
LISTING_FIRST = 4


def compact(value):
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def decode(parts, i, vtype, listing):
    """Decodes the value whose parts start at parts[i]; returns (canonical value, index after it)."""
    if vtype == GGUFValueType.STRING:
        return bytes(parts[i + 1]).decode("utf-8"), i + 2
    if vtype == GGUFValueType.ARRAY:
        etype = GGUFValueType(int(parts[i][0]))
        length = int(parts[i + 1][0])
        i += 2
        values = []
        for _ in range(length):
            v, i = decode(parts, i, etype, listing)
            values.append(v)
        out = {"element_type": etype.name, "length": length}
        if listing and length > LISTING_FULL_ARRAY_MAX:
            out["first"] = values[:LISTING_FIRST]
            text = "\n".join(compact(v) for v in values)
            out["sha256"] = hashlib.sha256(text.encode("ascii")).hexdigest()
        else:
            out["values"] = values
        return out, i
    a = parts[i]
    if vtype == GGUFValueType.FLOAT32:
        return "0x%08x" % int(a.view(np.uint32)[0]), i + 1
    if vtype == GGUFValueType.FLOAT64:
        return "0x%016x" % int(a.view(np.uint64)[0]), i + 1
    if vtype == GGUFValueType.BOOL:
        return bool(a[0]), i + 1
    return int(a[0]), i + 1


def dump(path, listing=False):
    reader = GGUFReader(path)
    fields = list(reader.fields.values())
    # The reader puts the header's version, tensor count and key/value count first as pseudo-fields.
    version = int(fields[0].parts[0][0])
    metadata = []
    for field in fields[3:]:
        vtype = GGUFValueType(int(field.parts[2][0]))
        value, end = decode(field.parts, 3, vtype, listing)
        assert end == len(field.parts), field.name
        metadata.append({"key": field.name, "type": vtype.name, "value": value})
    tensors = []
    for t in reader.tensors:
        data = reader.data[t.data_offset:t.data_offset + t.n_bytes].tobytes()
        assert len(data) == t.n_bytes, t.name
        tensors.append({
            "name": t.name,
            "type": t.tensor_type.name,
            "shape": [int(d) for d in t.shape],
            "offset": int(t.field.parts[5][0]),
            "bytes": int(t.n_bytes),
            "sha256": hashlib.sha256(data).hexdigest(),
        })
    return {
        "version": version,
        "alignment": int(reader.alignment),
        "data_offset": int(reader.data_offset),
        "metadata": metadata,
        "tensors": tensors,
    }


def to_text(tree):
    return json.dumps(tree, indent=1, ensure_ascii=True) + "\n"


def main(args):
    listing = "--listing" in args
    files = [a for a in args if a != "--listing"]
    if len(files) != 1:
        sys.exit(__doc__)
    sys.stdout.write(to_text(dump(files[0], listing)))


if __name__ == "__main__":
    main(sys.argv[1:])
