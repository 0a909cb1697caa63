"""Time provenance (every code point's origin) beside the plain replay, on a real trace.

Usage (from the repository root):

    .venv/bin/python bench/provenance_bench.py [--trace automerge-paper] [--limit N] [--repeat 3]

Reads ../shared/traces/<trace>.json.gz (the path the editor bench uses), turns its
patches into code-point events (a third of them reported as pastes, every 50th as an
accepted model suggestion, so the runs are not one block), then times, best of
`--repeat`: the plain replay (core.replay), the provenance of the final text
(core.provenance, following every event), and the runs of the final; and checks that
the provenance covers exactly the replayed text.
"""

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import editor_bench as eb  # noqa: E402

from oversight.core.provenance import final_shares, provenance_at  # noqa: E402
from oversight.core.replay import replay  # noqa: E402
from oversight.core.trajectory import Event  # noqa: E402


def trace_events(trace: str, limit: int) -> tuple[str, list[Event], str]:
    with gzip.open(eb.SHARED / "traces" / f"{trace}.json.gz", "rt") as f:
        data = json.load(f)
    events, seq = [], 0
    for txn in data["txns"][:limit or None]:
        for pos, deleted, inserted in txn["patches"]:
            seq += 1
            ops = [{"retain": pos}] if pos else []
            if deleted:
                ops.append({"delete": deleted})
            if inserted:
                ops.append({"insert": inserted})
            kind = ("model.assist" if seq % 50 == 0 else "input.paste" if seq % 3 == 0
                    else "input.type")
            events.append(Event(seq=seq, t_ms=seq * 100, author=f"w{seq % 3}", client=seq % 3,
                                round=1, kind=kind, inferred_kind="typed", ops=ops))
    return data["startContent"], events, data["endContent"]


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trace", default="automerge-paper")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    draft, events, end = trace_events(args.trace, args.limit)
    t_replay, text = best(lambda: replay(draft, events), args.repeat)
    t_prov, prov = best(lambda: provenance_at(draft, events), args.repeat)
    t_runs, runs = best(prov.runs, args.repeat)
    t_counts, counts = best(prov.counts, args.repeat)
    assert len(prov.seqs) == len(text), "provenance does not cover the replayed text"
    assert not args.limit and text == end or args.limit, "replay differs from the trace's end"
    print(json.dumps({
        "trace": args.trace, "events": len(events), "final_code_points": len(text),
        "runs": len(runs), "replay_s": round(t_replay, 3), "provenance_s": round(t_prov, 3),
        "ratio": round(t_prov / t_replay, 2), "runs_s": round(t_runs, 3),
        "counts_s": round(t_counts, 3), "shares": final_shares(counts)}, indent=1))


if __name__ == "__main__":
    main()
