"""Time text_at (checkpoint + < 500 deltas) against a full replay, on a synthetic trajectory.

Usage (from the repository root):

    .venv/bin/python bench/text_at_bench.py [--events 260000] [--size 100000] [--samples 40]

Synthesizes a ~100 KB draft (ASCII, or mixed with accents, CJK and emoji, which
makes Python store it 4 bytes per code point) and 260k small edits around a
wandering cursor, checkpoints every 500 events, then prints ms per text_at at
random seqs, ms per full replay from the draft at some of the same seqs, the
ratio, and µs per recorder-style conversion of an edit on the final document.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oversight.core.delta import apply_ops  # noqa: E402
from oversight.core.replay import CHECKPOINT_EVERY, replay, should_checkpoint, text_at  # noqa: E402
from oversight.core.tracker import TextTracker  # noqa: E402
from oversight.core.trajectory import Event  # noqa: E402
from oversight.core.units import delta_to_codepoints  # noqa: E402

WORDS_ASCII = ("the", "model", "draft", "edit", "review", "note", "because", "clear", "text")
WORDS_MIXED = WORDS_ASCII + ("café", "naïve", "数据", "漢字", "👍🏽", "e\u0301",
                              "👩\u200d👩\u200d👧")


def synth_draft(size: int, words: tuple[str, ...], rng: random.Random) -> str:
    parts, length = [], 0
    while length < size:
        word = rng.choice(words) + (" " if rng.random() > 0.05 else "\n")
        parts.append(word)
        length += len(word)
    return "".join(parts)


def synth_ops(length: int, cursor: int, rng: random.Random, words) -> tuple[list, int, int]:
    """One edit near the cursor: mostly a typed char, some deletions, rare pastes."""
    if rng.random() < 0.02:
        cursor = rng.randint(0, length)  # a click elsewhere
    roll = rng.random()
    if roll < 0.55 or cursor == 0:
        ins = rng.choice("abcdefghij ") if roll < 0.5 else rng.choice(words)
        ops = [{"retain": cursor}, {"insert": ins}] if cursor else [{"insert": ins}]
        return ops, length + len(ins), cursor + len(ins)
    if roll < 0.999:
        n = min(cursor, rng.randint(1, 2))
        return [{"retain": cursor - n}, {"delete": n}], length - n, cursor - n
    ins = " ".join(rng.choices(words, k=30))
    return [{"retain": cursor}, {"insert": ins}], length + len(ins), cursor + len(ins)


def synth_trajectory(n_events: int, size: int, words, seed: int = 7):
    """Return (draft, events, checkpoints {seq: text}) with checkpoints every 500 events."""
    rng = random.Random(seed)
    draft = synth_draft(size, words, rng)
    text, cursor, events, checkpoints = draft, len(draft) // 2, [], {0: draft}
    for seq in range(1, n_events + 1):
        ops, _, cursor = synth_ops(len(text), min(cursor, len(text)), rng, words)
        text = apply_ops(text, ops)
        events.append(Event(seq=seq, t_ms=seq * 150, author="ana", client=1, round=1,
                            kind="input.type", inferred_kind="typed", ops=ops))
        if should_checkpoint(seq):
            checkpoints[seq] = text
    return draft, events, checkpoints


def time_text_at(events, checkpoints, seqs) -> list[float]:
    timings = []
    for seq in seqs:
        base = seq - seq % CHECKPOINT_EVERY
        after = events[base:seq]  # seqs base+1 .. seq, as a database query would return
        start = time.perf_counter()
        text_at(seq, base, checkpoints[base], after)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_full_replay(draft, events, seqs) -> list[float]:
    timings = []
    for seq in seqs:
        start = time.perf_counter()
        replay(draft, events[:seq])
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_units(draft: str, rng: random.Random, n: int = 2000) -> tuple[float, float]:
    """Return µs per 1-char UTF-8 edit: delta_to_codepoints + apply_ops, and TextTracker."""
    text, cursor, deltas = draft, len(draft) // 2, []
    for _ in range(n):
        if rng.random() < 0.05:
            cursor = rng.randint(0, len(text))
        deltas.append([{"retain": len(text[:cursor].encode("utf-8"))}, {"insert": "x"}])
        text, cursor = text[:cursor] + "x" + text[cursor:], cursor + 1
    start = time.perf_counter()
    text = draft
    for delta in deltas:
        text = apply_ops(text, delta_to_codepoints(delta, text, unit="utf8"))
    middle = time.perf_counter()
    tracker = TextTracker(draft)
    for delta in deltas:
        tracker.observe(delta, unit="utf8")
    end = time.perf_counter()
    assert str(tracker) == text
    return (middle - start) / n * 1e6, (end - middle) / n * 1e6


def run(label: str, words, args) -> None:
    started = time.perf_counter()
    draft, events, checkpoints = synth_trajectory(args.events, args.size, words)
    final_len = len(replay(draft, events)) if args.check else None
    print(f"[{label}] {len(events)} events, draft {len(draft)} code points "
          f"({len(draft.encode())} bytes UTF-8), synthesized in "
          f"{time.perf_counter() - started:.1f} s" + (f", final {final_len}" if final_len else ""))
    rng = random.Random(1)
    seqs = [rng.randint(1, len(events)) for _ in range(args.samples)]
    ms = time_text_at(events, checkpoints, seqs)
    print(f"[{label}] text_at: median {statistics.median(ms):.2f} ms, "
          f"max {max(ms):.2f} ms over {len(seqs)} random seqs")
    base_seqs = seqs[:args.baseline_samples]
    full = time_full_replay(draft, events, base_seqs)
    at_same = time_text_at(events, checkpoints, base_seqs)
    print(f"[{label}] full replay from the draft at {len(base_seqs)} of those seqs: "
          f"median {statistics.median(full):.0f} ms; "
          f"ratio full/text_at {statistics.median(full) / statistics.median(at_same):.0f}x")
    stateless, tracked = time_units(checkpoints[max(checkpoints)], rng)
    print(f"[{label}] recorder conversion of a 1-char UTF-8 edit: delta_to_codepoints + "
          f"apply_ops {stateless:.1f} µs, TextTracker.observe {tracked:.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=260_000)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--baseline-samples", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="also replay everything once")
    args = parser.parse_args()
    run("ascii", WORDS_ASCII, args)
    run("mixed", WORDS_MIXED, args)


if __name__ == "__main__":
    main()
