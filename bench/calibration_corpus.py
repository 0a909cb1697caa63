"""The labelled corpus of bench/signals_calibration.py: real, simulated and planted sessions.

A session is a dict: name, group, draft, final, events (core Events), notes, opened_ms,
submitted_ms, known_texts, and labels {flag: True | False} (a flag absent from labels is
not judged on that session). Groups: `coauthor` (real CoAuthor sessions, human typing
with accepted GPT-3 text), `honest-*` (no cheating), `cheat-*` (planted).
"""

import gzip
import json
import math
import random
from pathlib import Path

from oversight.core.delta import apply_ops
from oversight.core.kinds import infer_kind
from oversight.core.simulate import simulate
from oversight.core.trajectory import Event
from oversight.core.units import utf16_to_cp

HERE = Path(__file__).resolve().parent
COAUTHOR = HERE.parent.parent / "shared" / "traces" / "coauthor"
CHEAT_FLAGS = ("rubber_stamp", "paste_heavy", "synthetic_typing", "external_paste",
               "paste_then_polish", "burst_only", "untrusted_input")
ALL_FALSE = dict.fromkeys(CHEAT_FLAGS, False)


def _event(seq, t_ms, ops, kind="", author="w", evidence=None):
    return Event(seq=seq, t_ms=int(t_ms), author=author, client=1, round=1, kind=kind,
                 inferred_kind=infer_kind(ops), ops=ops, evidence=evidence)


def _ops(pos, deleted, inserted):
    ops = [{"retain": pos}] if pos else []
    if deleted:
        ops.append({"delete": deleted})
    if inserted:
        ops.append({"insert": inserted})
    return ops


def session(name, group, draft, events, labels, *, notes=1, opened_ms=None,
            submitted_ms=None, known_texts=()):
    text = draft
    for e in events:
        text = apply_ops(text, e.ops)
    last = events[-1].t_ms if events else 0
    return {"name": name, "group": group, "draft": draft, "final": text, "events": events,
            "notes": notes, "opened_ms": 0 if opened_ms is None else opened_ms,
            "submitted_ms": last + 1_000 if submitted_ms is None else submitted_ms,
            "known_texts": tuple(known_texts), "labels": labels}


# -- real sessions ----------------------------------------------------------------------


def coauthor_sessions(folder: Path = COAUTHOR, limit: int | None = None) -> list[dict]:
    """CoAuthor sessions as trajectories (the prompt text is the draft), labelled from `source`.

    Accepted GPT-3 text is text from outside the task: `external_paste` is true from
    150 model characters, false with none; `paste_heavy` true over 60 % model text of all
    inserted, false under 40 %. Human typing is never synthetic, and nobody stamped.
    """
    labels = {row["session"]: row for row in json.loads((folder / "labels.json").read_text())}
    out = []
    for name in sorted(labels)[:limit]:
        row = labels[name]
        with gzip.open(folder / f"{name}.json.gz", "rt", encoding="utf-8") as f:
            trace = json.load(f)
        text, events, t0 = trace["startContent"], [], trace["txns"][0]["time"]
        for txn in trace["txns"]:
            for pos, deleted, inserted in txn["patches"]:
                cp = utf16_to_cp(text, pos)
                span = utf16_to_cp(text[cp:], deleted) if deleted else 0
                ops = _ops(cp, span, inserted)
                events.append(_event(len(events) + 1, txn["time"] - t0, ops))
                text = apply_ops(text, ops)
        share = row["gt_api_share_inserted"]
        api = row["inserted_api"]
        judged = {"rubber_stamp": False, "synthetic_typing": False,
                  "burst_only": False if share < 0.4 else None,
                  "external_paste": True if api >= 150 else (False if api == 0 else None),
                  "paste_heavy": True if share > 0.6 else (False if share < 0.4 else None)}
        out.append(session(f"coauthor/{name}", "coauthor", trace["startContent"], events,
                           {k: v for k, v in judged.items() if v is not None}))
    return out


# -- honest sessions --------------------------------------------------------------------


def human_gaps(rng: random.Random, n: int = 400) -> tuple[int, ...]:
    """Inter-key intervals as people type: log-normal (median ~190 ms), some pauses."""
    gaps = [int(math.exp(rng.gauss(math.log(190), 0.55))) for _ in range(n)]
    gaps += [rng.randint(2_500, 15_000) for _ in range(n // 20)]
    return tuple(gaps)


def honest_simulated(rng: random.Random, texts: list[str], count: int) -> list[dict]:
    """The editing simulator at human timing: typing, deleting, small pastes, undo."""
    letters = tuple("etaoinshrdlu ") + (" ", ", ", ".")
    out = []
    for i in range(count):
        draft = rng.choice(texts)[: rng.choice((300, 800, 2_000, 4_000))]
        result = simulate(draft, clients=1, steps=rng.randint(250, 900), seed=rng.random(),
                          snippets=letters, gaps_ms=human_gaps(rng))
        # Its pastes are random characters, neither a move nor an answer: not judged.
        labels = {k: v for k, v in ALL_FALSE.items() if k not in ("paste_heavy", "external_paste")}
        out.append(session(f"honest-sim/{i}", "honest-sim", draft, result.events, labels))
    return out


def _typing(rng, text, at, t, seq, *, interval=None, kind="input.type"):
    """Events typing `text` at `at`: a person's rhythm, or a program's `interval(rng)`."""
    events = []
    for i, char in enumerate(text):
        t += interval(rng) if interval else human_gaps_one(rng, char)
        events.append(_event(seq + i, t, _ops(at + i, 0, char), kind))
    return events, t


def human_gaps_one(rng, char):
    gap = math.exp(rng.gauss(math.log(190), 0.55))
    if char in ".\n" and rng.random() < 0.5:
        gap += rng.uniform(2_000, 9_000)  # a sentence's end: a thinking pause
    return int(gap)


def honest_light_review(rng, texts, count) -> list[dict]:
    """A careful reader who fixes a word or two: little changed, but time taken to read."""
    out = []
    for i in range(count):
        draft = rng.choice(texts)[: rng.choice((300, 600, 1_500, 4_000))]
        read_ms = len(draft) * rng.uniform(30, 80)  # 12-33 characters a second
        events, t = [], read_ms
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(draft) - 5)
            events.append(_event(len(events) + 1, t, _ops(at, 3, ""), "delete.backward"))
            typed, t = _typing(rng, "the", at, t, len(events) + 1)
            events += typed
            t += rng.uniform(3_000, 20_000)
        out.append(session(f"honest-light/{i}", "honest-light", draft, events, ALL_FALSE,
                           submitted_ms=int(t + rng.uniform(2_000, 10_000))))
    return out


def honest_rewrite(rng, texts, count) -> list[dict]:
    """Typed rewrites at a person's rhythm, with pastes of the task's own text moved around."""
    out = []
    for i in range(count):
        draft = rng.choice(texts)[:1_500]
        events, t, text = [], 0, draft
        for _ in range(rng.randint(2, 5)):
            start = rng.randrange(len(text) // 2)
            chunk = text[start:start + rng.randint(40, 200)]
            events.append(_event(len(events) + 1, t, _ops(start, len(chunk), ""), "delete.cut"))
            text = apply_ops(text, events[-1].ops)
            at = rng.randrange(len(text))
            t += rng.uniform(800, 4_000)
            events.append(_event(len(events) + 1, t, _ops(at, 0, chunk), "input.paste"))
            text = apply_ops(text, events[-1].ops)
            sentence = rng.choice(texts)[rng.randrange(500):][:rng.randint(60, 250)]
            typed, t = _typing(rng, sentence, at, t + 1_500, len(events) + 1)
            events += typed
            text = apply_ops(text, _ops(at, 0, sentence))
        out.append(session(f"honest-rewrite/{i}", "honest-rewrite", draft, events, ALL_FALSE))
    return out


# -- planted cheats ---------------------------------------------------------------------

SIZES = (300, 800, 2_000, 4_000)


def _labels(**true):
    return {**ALL_FALSE, **true}


def cheat_rubber_stamps(rng, texts, count) -> list[dict]:
    """Submit the draft (nearly) as it is, faster than it can be read; or copy it back."""
    out = []
    for i in range(count):
        draft = rng.choice(texts)[: SIZES[i % len(SIZES)]]
        spent = len(draft) / 1000 * rng.uniform(0.5, 12) + rng.uniform(0, 2) * 1000 / 1000
        events, t = [], rng.uniform(300, 1_500)
        copy_back = i % 3 == 2
        if copy_back:  # select all, delete, paste the draft back with a trivial change
            events.append(_event(1, t, _ops(0, len(draft), ""), "delete.selection"))
            changed = draft.replace(" the ", " teh ", 1)
            events.append(_event(2, t + 400, _ops(0, 0, changed), "input.paste"))
        else:
            for _ in range(rng.randint(0, 2)):
                at = rng.randrange(len(draft))
                t += rng.uniform(200, 900)
                events.append(_event(len(events) + 1, t, _ops(at, 0, rng.choice("., ")),
                                     "input.type"))
        labels = _labels(rubber_stamp=True)  # pasting the draft back is no outside text
        out.append(session(f"cheat-stamp/{i}", "cheat-rubber-stamp", draft, events, labels,
                           submitted_ms=int(spent * 1000)))
    return out


def _draft_and_answer(rng, texts, draft_size, answer_size):
    """A draft and an outside answer from two different sessions' writing."""
    i, j = rng.sample(range(len(texts)), 2)
    return texts[i][:draft_size], texts[j][:answer_size]


def cheat_paste_ins(rng, texts, count) -> list[dict]:
    """Replace the draft with a pasted outside answer: bare, lightly polished, or chunked."""
    out = []
    for i in range(count):
        draft, answer = _draft_and_answer(rng, texts, rng.choice(SIZES), SIZES[i % len(SIZES)])
        variant = ("bare", "polished", "chunked", "typed-chunks")[i % 4]
        events, t = [_event(1, 2_000, _ops(0, len(draft), ""), "delete.selection")], 3_000
        if variant in ("bare", "polished"):
            events.append(_event(2, t, _ops(0, 0, answer), "input.paste"))
        else:  # pasted in pieces; "typed-chunks" reports them as typing, at machine speed
            size = 8 if variant == "typed-chunks" else len(answer) // 3 + 1
            kind = "input.type" if variant == "typed-chunks" else "input.paste"
            for at in range(0, len(answer), size):
                t += 40 if variant == "typed-chunks" else rng.uniform(3_000, 9_000)
                events.append(_event(len(events) + 1, t, _ops(at, 0, answer[at:at + size]), kind))
        if variant == "polished":
            for _ in range(rng.randint(2, 6)):
                at = rng.randrange(len(answer) - 4)
                t += rng.uniform(2_000, 8_000)
                events.append(_event(len(events) + 1, t, _ops(at, 1, ""), "delete.backward"))
                typed, t = _typing(rng, rng.choice(("a", "an", "the")), at, t, len(events) + 1)
                events += typed
        whole = variant in ("bare", "polished")
        labels = _labels(paste_heavy=True, external_paste=True, burst_only=True)
        if variant == "polished":
            del labels["burst_only"]  # its typed fixes may pass a tenth of a short answer
        if not whole:
            del labels["paste_then_polish"]  # several pastes: not one pasted answer
        else:
            labels["paste_then_polish"] = True
        out.append(session(f"cheat-paste/{i}-{variant}", f"cheat-paste-{variant}", draft,
                           events, labels))
    return out


def _constant(ms):
    return lambda rng: ms + rng.uniform(-1, 1)


def _uniform(ms):
    return lambda rng: rng.uniform(0.5 * ms, 1.5 * ms)


def _gaussian(ms):
    return lambda rng: max(5.0, rng.gauss(ms, 0.25 * ms))


def cheat_auto_typers(rng, texts, count) -> list[dict]:
    """An outside answer typed in by a program: constant, jittered or superhuman rates."""
    kinds = [("constant", _constant), ("uniform", _uniform), ("gaussian", _gaussian)]
    out = []
    for i in range(count):
        name, rate = kinds[i % len(kinds)]
        ms = rng.choice((12, 35, 60, 100, 150, 220))
        draft, answer = _draft_and_answer(rng, texts, rng.choice(SIZES),
                                          rng.choice((150, 400, 1_000, 2_000)))
        events = [_event(1, 1_000, _ops(0, len(draft), ""), "delete.selection")]
        t = 2_000
        for start in range(0, len(answer), 120):  # pauses between "sentences", like a person
            part, t = _typing(rng, answer[start:start + 120], start, t, len(events) + 1,
                              interval=rate(ms), kind="" if i % 2 else "input.type")
            events += part
            t += rng.uniform(2_500, 6_000)
        out.append(session(f"cheat-typer/{i}-{name}-{ms}ms", f"cheat-typer-{name}", draft,
                           events, _labels(synthetic_typing=True)))
    return out


def cheat_browser_evidence(rng, texts, count) -> list[dict]:
    """Cheats only the browser's evidence shows: typed by synthetic key events at a
    person's rhythm (untrusted), or written into the document by a script in pieces too
    small and slow to look pasted (silent)."""
    out = []
    for i in range(count):
        draft, answer = _draft_and_answer(rng, texts, rng.choice(SIZES),
                                          rng.choice((150, 400, 1_000, 2_000)))
        events = [_event(1, 1_000, _ops(0, len(draft), ""), "delete.selection")]
        t = 2_000
        if i % 2 == 0:  # an extension dispatching key events with a human-like rhythm
            typed, t = _typing(rng, answer, 0, t, 2)
            events += [_event(e.seq, e.t_ms, e.ops, e.kind, evidence={"untrusted": True})
                       for e in typed]
            name, labels = "untrusted-typer", {**ALL_FALSE, "untrusted_input": True}
            for flag in ("synthetic_typing", "external_paste", "paste_heavy", "burst_only",
                         "paste_then_polish"):
                del labels[flag]  # typed at a person's pace: only the marks tell
        else:  # a script inserting 15 characters every few seconds, reporting nothing
            for at in range(0, len(answer), 15):
                t += rng.uniform(1_500, 5_000)
                events.append(_event(len(events) + 1, t, _ops(at, 0, answer[at:at + 15]),
                                     evidence={"silent": True}))
            name = "silent-insert"
            labels = _labels(paste_heavy=True, external_paste=True, burst_only=True)
            del labels["paste_then_polish"]
        out.append(session(f"cheat-evidence/{i}-{name}", f"cheat-{name}", draft, events,
                           labels))
    return out


def corpus(seed: int = 12, coauthor_limit: int | None = None, per_kind: int = 60,
           coauthor: Path = COAUTHOR) -> list[dict]:
    rng = random.Random(seed)
    real = coauthor_sessions(coauthor, limit=coauthor_limit)
    # What each session wrote after its prompt: real prose, and no prompt shared between texts.
    written = [s["final"][len(s["draft"]):] if s["final"].startswith(s["draft"]) else s["final"]
               for s in real]
    long = [t for t in written if len(t) >= 1_500]
    texts = long if len(long) >= 5 else written
    makers = (honest_simulated, honest_light_review, honest_rewrite, cheat_rubber_stamps,
              cheat_paste_ins, cheat_auto_typers, cheat_browser_evidence)
    return real + [s for make in makers for s in make(rng, texts, per_kind)]
