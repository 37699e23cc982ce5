"""Independent facts about PE files for the notebook tests: python3-pefile and hashlib, never our code.

Usage: python3 pe_facts.py FILE...  -> one JSON object per line: md5, file_size, entropy (Shannon, bits per byte,
over the whole file), and from pefile: sections (names), section_entropies, import_dlls, imported_functions, exports;
or "error" when pefile cannot parse the file.
"""
import hashlib
import json
import math
import sys

import pefile


def entropy(data):
    if not data:
        return 0.0
    counts = [0] * 256
    for b in data:
        counts[b] += 1
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in counts if c)


for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        data = f.read()
    out = {"path": path, "md5": hashlib.md5(data).hexdigest(), "file_size": len(data), "entropy": entropy(data)}
    try:
        pe = pefile.PE(data=data, fast_load=False)
        out["sections"] = [s.Name.rstrip(b"\0").decode("latin-1") for s in pe.sections]
        out["section_entropies"] = [s.get_entropy() for s in pe.sections]
        imports = getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])
        out["import_dlls"] = len(imports)
        out["imported_functions"] = sum(len(e.imports) for e in imports)
        exports = getattr(pe, "DIRECTORY_ENTRY_EXPORT", None)
        out["exports"] = len(exports.symbols) if exports is not None else 0
    except pefile.PEFormatError as e:
        out["error"] = str(e)
    print(json.dumps(out))
