"""Cost of the quality signals on a full-size trace, beside replaying its events.

Usage: .venv/bin/python bench/signals_bench.py [--trace PATH] [--repeat 3]

Converts a shared editing trace (default ../shared/traces/automerge-paper.json.gz,
259,778 single-character edits) to core events with a person's varying key timing,
then times, best of `--repeat`: the baseline (every event applied to the text with
TextTracker, as the replay does) and compute_signals (edit distance, rhythm, provenance,
authorship, flags) on the same events, and prints both with events per second.
"""

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oversight.core.kinds import infer_kind  # noqa: E402
from oversight.core.signals import compute_signals  # noqa: E402
from oversight.core.tracker import TextTracker  # noqa: E402
from oversight.core.trajectory import Event  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_TRACE = HERE.parent.parent / "shared" / "traces" / "automerge-paper.json.gz"


def events_of(trace: dict) -> list[Event]:
    events, t = [], 0
    for i, txn in enumerate(trace["txns"]):
        for pos, deleted, inserted in txn["patches"]:
            ops = (([{"retain": pos}] if pos else []) + ([{"delete": deleted}] if deleted else [])
                   + ([{"insert": inserted}] if inserted else []))
            t += 60 + (i * 7919) % 400  # uneven, as a person's keys are
            events.append(Event(seq=len(events) + 1, t_ms=t, author="a", client=1, round=1,
                                kind="input.type", inferred_kind=infer_kind(ops), ops=ops))
    return events


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace", type=Path, default=DEFAULT_TRACE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with gzip.open(args.trace, "rt", encoding="utf-8") as f:
        trace = json.load(f)
    events = events_of(trace)
    draft, final = trace["startContent"], trace["endContent"]

    def replay():
        text = TextTracker(draft)
        for e in events:
            text.apply(e.ops)
        assert str(text) == final

    baseline = best(replay, args.repeat)
    signals = best(lambda: compute_signals(draft, final, events, 0, None, None), args.repeat)
    n = len(events)
    print(f"{args.trace.name}: {n:,} events, final {len(final):,} characters")
    print(f"  baseline replay   {baseline:6.2f} s  {n / baseline:>10,.0f} events/s")
    print(f"  compute_signals   {signals:6.2f} s  {n / signals:>10,.0f} events/s"
          f"  ({signals / baseline:.1f}x the replay)")


if __name__ == "__main__":
    main()
