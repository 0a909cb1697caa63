"""Calibrate the flags: precision and recall per flag, false flags on honest sessions.

Usage: python bench/signals_calibration.py [--set KEY=VALUE ...] [--sweep KEY=V1,V2,...]
       [--coauthor DIR] [--coauthor-limit N] [--per-kind N] [--write-fixture PATH]

The corpus (bench/calibration_corpus.py): the 200 CoAuthor sessions of
../shared/traces/coauthor/ (real human typing; accepted GPT-3 text is ground-truth
outside text), honest sessions from the editing simulator at human timing, careful
light reviews and typed rewrites, and planted cheats of each kind at several sizes.
A flag is judged only on sessions labelled for it (true: it should be raised; false:
it should not). A false flag is a flag raised on a session that is not a planted cheat
(a CoAuthor or `honest-*` session) and is labelled false for it: CoAuthor's typing is
a person's and nobody there stamped a draft, but its accepted GPT-3 text is outside text.
`--write-fixture` stores small labelled sessions for tests/core/test_flag_fixture.py.
"""

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration_corpus import CHEAT_FLAGS, COAUTHOR, corpus  # noqa: E402

from oversight.core.signals import compute_signals  # noqa: E402
from oversight.core.thresholds import DEFAULT_THRESHOLDS  # noqa: E402
from oversight.core.trajectory import event_to_dict  # noqa: E402


def flags_of(s: dict, thresholds: dict) -> dict:
    return compute_signals(s["draft"], s["final"], s["events"], s["notes"], s["opened_ms"],
                           s["submitted_ms"], thresholds, known_texts=s["known_texts"])


def is_honest(s: dict) -> bool:
    """Not planted: the CoAuthor sessions and the honest groups (judged where labelled false)."""
    return not s["group"].startswith("cheat")


def evaluate(sessions: list[dict], thresholds: dict) -> dict:
    """Return {flag: {tp, fp, fn, tn, honest_flagged, honest}} and any-flag counts."""
    table = {f: defaultdict(int) for f in CHEAT_FLAGS}
    honest_any = honest = 0
    for s in sessions:
        raised = set(flags_of(s, thresholds)["flags"])
        for flag in CHEAT_FLAGS:
            label = s["labels"].get(flag)
            if label is not None:
                table[flag][("t" if label == (flag in raised) else "f")
                            + ("p" if flag in raised else "n")] += 1
            if label is False and is_honest(s):
                table[flag]["honest_flagged"] += flag in raised
                table[flag]["honest"] += 1
        if is_honest(s):
            judged = {f for f in CHEAT_FLAGS if s["labels"].get(f) is False}
            honest += bool(judged)
            honest_any += bool(raised & judged)
    return {"flags": table, "honest": honest, "honest_any": honest_any}


def report(result: dict) -> list[str]:
    lines = ["| flag | positives | recall | precision | false flags on honest |",
             "|---|---|---|---|---|"]
    for flag, c in result["flags"].items():
        positives = c["tp"] + c["fn"]
        recall = c["tp"] / positives if positives else float("nan")
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        lines.append(f"| `{flag}` | {positives} | {recall:.1%} | {precision:.1%} | "
                     f"{c['honest_flagged']}/{c['honest']} = "
                     f"{c['honest_flagged'] / max(1, c['honest']):.1%} |")
    lines.append(f"| any of them | | | | {result['honest_any']}/{result['honest']} = "
                 f"{result['honest_any'] / max(1, result['honest']):.1%} |")
    return lines


def groups(sessions: list[dict], thresholds: dict) -> list[str]:
    """Per group: sessions and how many raised each cheat flag."""
    counts = defaultdict(lambda: defaultdict(int))
    for s in sessions:
        counts[s["group"]]["sessions"] += 1
        for flag in flags_of(s, thresholds)["flags"]:
            counts[s["group"]][flag] += 1
    head = ["group", "sessions", *CHEAT_FLAGS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for group in sorted(counts):
        lines.append("| " + " | ".join([group] + [str(counts[group][k]) for k in head[1:]])
                     + " |")
    return lines


def _fixture_choice(sessions: list[dict]) -> list[dict]:
    """The smallest session of each group; of CoAuthor, the smallest with and without model text."""
    by_size = sorted(sessions, key=lambda s: len(s["events"]))
    chosen, groups = [], set()
    for s in by_size:
        key = s["group"]
        if key == "coauthor":
            key += "+model" if s["labels"].get("external_paste") else (
                "-model" if s["labels"].get("external_paste") is False else "?")
        if key not in groups and not key.endswith("?"):
            groups.add(key)
            chosen.append(s)
    return sorted(chosen, key=lambda s: s["name"])


def write_fixture(sessions: list[dict], path: Path) -> None:
    """Store one small labelled session per group (two of CoAuthor) for the flag test."""
    chosen = [{"name": s["name"], "group": s["group"], "draft": s["draft"], "final": s["final"],
               "notes": s["notes"], "opened_ms": s["opened_ms"],
               "submitted_ms": s["submitted_ms"], "known_texts": list(s["known_texts"]),
               "labels": s["labels"], "events": [event_to_dict(e) for e in s["events"]]}
              for s in _fixture_choice(sessions)]
    path.write_text(json.dumps({"source": "bench/signals_calibration.py --write-fixture",
                                "sessions": chosen}, separators=(",", ":")) + "\n")
    print(f"wrote {len(chosen)} sessions to {path}")


def parse_value(raw: str):
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw else number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2")
    parser.add_argument("--coauthor", type=Path, default=COAUTHOR,
                        help="the CoAuthor folder (default: ../shared/traces/coauthor)")
    parser.add_argument("--coauthor-limit", type=int, default=None)
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--write-fixture", type=Path)
    args = parser.parse_args()
    thresholds = dict(DEFAULT_THRESHOLDS)
    for item in args.set:
        key, _, raw = item.partition("=")
        thresholds[key] = parse_value(raw)
    started = time.perf_counter()
    sessions = corpus(coauthor_limit=args.coauthor_limit, per_kind=args.per_kind,
                      coauthor=args.coauthor)
    print(f"corpus: {len(sessions)} sessions, {sum(len(s['events']) for s in sessions):,} "
          f"events, built in {time.perf_counter() - started:.1f} s")
    if args.write_fixture:
        write_fixture(sessions, args.write_fixture)
        return
    print("thresholds:", json.dumps(thresholds))
    print("\n".join(report(evaluate(sessions, thresholds))))
    print()
    print("\n".join(groups(sessions, thresholds)))
    for sweep in args.sweep:
        key, _, raw = sweep.partition("=")
        print(f"\nsweep {key}:")
        for value in raw.split(","):
            result = evaluate(sessions, {**thresholds, key: parse_value(value)})
            print(f"{key}={value}")
            print("\n".join(report(result)))
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
