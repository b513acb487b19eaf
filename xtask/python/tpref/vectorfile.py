"""Writing vector files: one `<kind>.json` per kind in the vector format, byte for byte the
same whichever generator (gen_vectors.py, gen_frameworks.py) built the cases."""

import collections
import json
import os

SCHEMA = "tamperproof-vectors/1"


def write_kinds(out, kinds, build, generated_by, summary):
    """Writes `build(kind)`'s cases for each kind to `out/<kind>.json` (created if need be),
    with `generated_by()`'s package versions; with `summary`, prints the counts per kind,
    expectation and direction, then the total.  Returns the exit status, 0."""
    os.makedirs(out, exist_ok=True)
    total = 0
    for kind in kinds:
        cases = build(kind)
        doc = {"schema": SCHEMA, "generated_by": generated_by(), "cases": cases}
        path = os.path.join(out, kind + ".json")
        with open(path, "w", encoding="ascii", newline="\n") as f:
            json.dump(doc, f, indent=1, ensure_ascii=True, allow_nan=False)
            f.write("\n")
        total += len(cases)
        if summary:
            by_expect = collections.Counter(c["expect"] for c in cases)
            by_dir = collections.Counter(c["direction"] for c in cases)
            print("%-26s %4d cases  %7.1f KB  %s  %s" % (
                kind, len(cases), os.path.getsize(path) / 1024.0,
                " ".join("%s=%d" % kv for kv in sorted(by_expect.items())),
                " ".join("%s=%d" % kv for kv in sorted(by_dir.items()))))
    if summary:
        print("total %d cases" % total)
    return 0
