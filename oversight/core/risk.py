"""Review priority: a risk score per submitted task, with the reasons that make it up.

The score adds a weight per raised flag, one point when the session is a far outlier
against the project (active time under a quarter of the project's median), and the
writer's record: the posterior chance a verdict on their work is *not* an approval.
Writer trust is a Beta(1, 1) prior updated by their verdicts (approve vs the rest) and
gold catches (caught vs missed), with a 90% credible interval; `trust_words` says it.
"""

import math
from functools import lru_cache
from statistics import median

FLAG_WEIGHTS = {"rubber_stamp": 3, "synthetic_typing": 3, "external_paste": 3,
                "paste_then_polish": 3, "untrusted_input": 3, "paste_heavy": 2, "burst_only": 1,
                "no_reasoning": 1}
OUTLIER_SHARE = 0.25  # active time under this share of the project's median stands out
MIN_PEERS = 5  # a project median needs this many sessions to compare against
RECORD_WEIGHT = 2  # a writer never approved adds up to this much
CREDIBLE = 0.9
# Against the writer's own history: a signal this far (modified z-score, Iglewicz and
# Hoaglin's 0.6745·(x − median) / MAD) from their usual, in the risky direction, adds
# a point. Times are compared as logarithms (a ratio: 3× faster), shares as they are.
MIN_HISTORY = 5  # previous submissions of the writer in the project
HISTORY_WINDOW = 50  # the latest ones count: a writer's habits change
OWN_Z = 3.5
OWN_WEIGHT = 1
OWN_MAX = 2  # at most this much from the writer's own history
# signal: (compare as log, MAD floor in that scale, +1 = risky when higher)
OWN_SIGNALS = {"typing_median_ms": (True, 0.05, -1), "active_seconds": (True, 0.05, -1),
               "paste_share": (False, 0.02, 1), "changed_fraction": (False, 0.02, -1)}


def _beta_cdf(x: float, a: int, b: int) -> float:
    """P(Beta(a, b) <= x) for whole a, b: P(Binomial(a + b - 1, x) >= a)."""
    n = a + b - 1
    return sum(math.comb(n, k) * x ** k * (1 - x) ** (n - k) for k in range(a, n + 1))


# Writers share their (approved, other) counts, and the queue and the dashboard ask for
# a thousand writers' intervals per page: 40 bisection steps of a binomial sum each.
@lru_cache(maxsize=4096)
def _quantile(q: float, a: int, b: int) -> float:
    low, high = 0.0, 1.0
    for _ in range(40):  # bisection to ~1e-12
        mid = (low + high) / 2
        low, high = (mid, high) if _beta_cdf(mid, a, b) < q else (low, mid)
    return (low + high) / 2


def writer_trust(approved: int, other: int, caught: int = 0, missed: int = 0) -> dict:
    """Posterior trust in a writer: mean and 90% interval under a uniform prior.

    Each verdict is one trial (approve: a success), and so is each planted flaw of a
    gold task they submitted (caught: a success): a writer who lets planted flaws
    through loses trust as one whose work is sent back does.
    """
    a, b = approved + caught + 1, other + missed + 1
    tail = (1 - CREDIBLE) / 2
    flaws = caught + missed
    return {"mean": a / (a + b), "low": _quantile(tail, a, b), "high": _quantile(1 - tail, a, b),
            "verdicts": approved + other, "caught": caught, "flaws": flaws,
            "catch_rate": caught / flaws if flaws else None}


def trust_words(trust: dict) -> str:
    """The one way a writer's trust is said, wherever it is shown (the queue's risk line,
    the trend's label): the mean, its interval and the trials behind it. Verdicts and gold
    catches are one estimate, so it is always "trust", with the catches when there are any:
    "83% (64%–97%, 10 verdicts)", "40% (17%–66%, 4 verdicts, 0/4 planted flaws caught)"."""
    n = trust["verdicts"]
    gold = (f", {trust['caught']}/{trust['flaws']} planted flaws caught"
            if trust.get("flaws") else "")
    return (f"{trust['mean']:.0%} ({trust['low']:.0%}–{trust['high']:.0%}, "
            f"{n} verdict{'s' if n != 1 else ''}{gold})")


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value < 120 else f"{value / 60:.0f} min"


def _own_reason(name: str, value: float, usual: float, n: int) -> str:
    over = f"this writer's usual over {n} submissions"
    if name == "typing_median_ms":
        faster = usual > value
        times = usual / value if faster else value / usual
        return (f"typing {times:.1f}× {'faster' if faster else 'slower'} than {over} "
                f"({value:.0f} vs {usual:.0f} ms a key)")
    if name == "active_seconds":
        return (f"{_seconds(value)} active, {usual / max(value, 1e-9):.1f}× less than {over} "
                f"({_seconds(usual)})")
    what = "pasted" if name == "paste_share" else "changed"
    return f"{value:.0%} {what} vs {usual:.0%}, {over}"


def own_outliers(metrics: dict, history: dict[str, list[float]] | None) -> list[tuple[str, str]]:
    """Return (signal, reason) for each signal far from the writer's own previous ones, in
    the risky direction; nothing under MIN_HISTORY previous values of a signal."""
    out = []
    for name, (logs, floor, risky) in OWN_SIGNALS.items():
        value, past = metrics.get(name), (history or {}).get(name) or []
        if value is None or len(past) < MIN_HISTORY or (logs and value <= 0):
            continue
        past = [p for p in past if not logs or p > 0]
        if len(past) < MIN_HISTORY:
            continue
        scale = [math.log(p) for p in past] if logs else past
        x = math.log(value) if logs else value
        middle = median(scale)
        mad = max(median(abs(p - middle) for p in scale), floor)
        z = 0.6745 * (x - middle) / mad
        if z * risky >= OWN_Z:
            usual = math.exp(middle) if logs else middle
            out.append((name, _own_reason(name, value, usual, len(past))))
    return out


def has_record(trust: dict | None) -> bool:
    """Whether the writer has verdicts or gold catches to judge them by."""
    return trust is not None and bool(trust["verdicts"] or trust.get("flaws"))


def record_part(trust: dict | None) -> float:
    """The writer's record's share of the risk: 0.5 without one, else up to RECORD_WEIGHT."""
    return RECORD_WEIGHT * (1 - trust["mean"]) if has_record(trust) else 0.5


def risk(metrics: dict, *, project_median_active: float | None, peers: int,
         trust: dict | None, history: dict[str, list[float]] | None = None,
         own: list[tuple[str, str]] | None = None) -> tuple[float, list[str]]:
    """Return (score, why): the task's review priority and each part of it in words.

    `own`: the outliers against the writer's history as already computed (`own_outliers`
    at the time the signals were stored); else they are computed from `history`.
    """
    flags = metrics.get("flags", [])
    score = float(sum(FLAG_WEIGHTS.get(flag, 1) for flag in flags))
    # The flags themselves are listed beside the score, with their reasons: counted here.
    why = [f"{len(flags)} flag{'s' if len(flags) != 1 else ''} (+{score:.0f})"] if flags else []
    active = metrics.get("active_seconds")
    if (project_median_active and peers >= MIN_PEERS and active is not None
            and active < OUTLIER_SHARE * project_median_active):
        score += 1
        why.append(f"{_seconds(active)} active vs the project's median "
                   f"{_seconds(project_median_active)} (+1)")
    own = (own_outliers(metrics, history) if own is None else own)[:OWN_MAX]
    for _, reason in own:
        score += OWN_WEIGHT
        why.append(f"{reason} (+{OWN_WEIGHT})")
    part = record_part(trust)
    score += part
    if not has_record(trust):
        why.append("writer has no verdicts yet (+0.5)")
    else:
        why.append(f"writer trust {trust_words(trust)} (+{part:.1f})")
    return round(score, 2), why
