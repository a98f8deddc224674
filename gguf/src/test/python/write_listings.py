#!/usr/bin/env python3
"""Writes gguf/src/test/resources/listings/NAME.json for every .gguf fixture in shared/testdata/{tiny,vocab}:
the file as the reference `gguf` package reads it, in dump_gguf.py's --listing format. FixtureListingTest
compares the Java reader against these without running Python; re-run this when the fixtures change.

usage: write_listings.py [SHARED_TESTDATA_DIR]   (default: ../shared/testdata beside the checkout)
"""
import pathlib
import sys

from dump_gguf import dump, to_text

here = pathlib.Path(__file__).resolve().parent
module = here.parent.parent.parent
testdata = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else module.parent.parent / "shared" / "testdata"
out = module / "src" / "test" / "resources" / "listings"
out.mkdir(parents=True, exist_ok=True)
for folder in ("tiny", "vocab"):
    for path in sorted((testdata / folder).glob("*.gguf")):
        (out / (path.name + ".json")).write_text(to_text(dump(str(path), listing=True)), encoding="ascii")
        print(path.name)
