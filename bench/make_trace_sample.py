"""Regenerate sveltecomponent-sample.json: the first N transactions of a shared editing trace.

Usage: python bench/make_trace_sample.py [--trace PATH] [--limit 3000] [--out PATH]

The trace format is josephg/editing-traces': {startContent, endContent, txns: [{time,
patches: [[pos, delCount, insStr], ...]}]}, positions and delete counts in Unicode code
points. Python's str indexes code points, so patches apply with plain slicing here; a
JavaScript client (whose strings and Y.Text count UTF-16 units) must convert positions
when a text holds characters above U+FFFF. The script checks the whole upstream trace
replays to its endContent, then recomputes endContent for the truncated sample.
Standard library only.
"""

import argparse
import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# ../shared beside the checkout, as the other bench scripts expect it.
DEFAULT_TRACE = HERE.parent.parent / "shared" / "traces" / "sveltecomponent.json.gz"


def load_trace(path: Path) -> dict:
    """Read a trace from .json or .json.gz."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def apply_txns(text: str, txns: list) -> str:
    """Apply every patch in order (code-point positions, Array.splice semantics)."""
    for txn in txns:
        for pos, deleted, inserted in txn["patches"]:
            if pos + deleted > len(text):
                raise ValueError(f"patch {pos, deleted} beyond text of {len(text)} code points")
            text = text[:pos] + inserted + text[pos + deleted :]
    return text


def unit_counts(trace: dict) -> dict:
    """Which characters occur: ASCII only, BMP only, or astral (where UTF-16 != code points)."""
    chars = set(trace["startContent"]) | set(trace["endContent"])
    for txn in trace["txns"]:
        for _pos, _deleted, inserted in txn["patches"]:
            chars.update(inserted)
    return {
        "non_ascii": sum(1 for c in chars if ord(c) > 0x7F),
        "astral": sum(1 for c in chars if ord(c) > 0xFFFF),
    }


def dump_sample(sample: dict, out: Path) -> None:
    """Write valid JSON with one transaction per line, so diffs of the sample stay readable."""
    lines = [
        "{",
        f'"startContent": {json.dumps(sample["startContent"], ensure_ascii=False)},',
        f'"endContent": {json.dumps(sample["endContent"], ensure_ascii=False)},',
        '"txns": [',
    ]
    txns = [json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in sample["txns"]]
    lines.append(",\n".join(txns))
    lines += ["]", "}"]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace", type=Path, default=DEFAULT_TRACE)
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--out", type=Path,
                        default=HERE.parent / "tests" / "data" / "sveltecomponent-sample.json")
    args = parser.parse_args()

    trace = load_trace(args.trace)
    start = trace.get("startContent", "")
    if apply_txns(start, trace["txns"]) != trace["endContent"]:
        raise SystemExit("the full trace does not replay to its endContent (code-point positions)")
    txns = trace["txns"][: args.limit]
    sample = {"startContent": start, "endContent": apply_txns(start, txns), "txns": txns}
    dump_sample(sample, args.out)
    counts = unit_counts(trace)
    print(
        json.dumps(
            {
                "out": str(args.out),
                "txns": len(txns),
                "patches": sum(len(t["patches"]) for t in txns),
                "end_len_code_points": len(sample["endContent"]),
                "end_len_utf16": len(sample["endContent"].encode("utf-16-le")) // 2,
                **counts,
            }
        )
    )


if __name__ == "__main__":
    main()
