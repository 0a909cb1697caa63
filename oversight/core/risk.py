"""Review priority: a risk score per submitted task, with the reasons that make it up.

The score adds a weight per raised flag, one point when the session is a far outlier
against the project (active time under a quarter of the project's median), and the
writer's record: the posterior chance a verdict on their work is *not* an approval.
Writer trust is a Beta(1, 1) prior updated by their verdicts (approve vs the rest),
with a 90% credible interval.
"""

import math
from functools import lru_cache

FLAG_WEIGHTS = {"rubber_stamp": 3, "synthetic_typing": 3, "external_paste": 3,
                "paste_then_polish": 3, "paste_heavy": 2, "burst_only": 1, "no_reasoning": 1}
OUTLIER_SHARE = 0.25  # active time under this share of the project's median stands out
MIN_PEERS = 5  # a project median needs this many sessions to compare against
RECORD_WEIGHT = 2  # a writer never approved adds up to this much
CREDIBLE = 0.9


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


def writer_trust(approved: int, other: int) -> dict:
    """Posterior approval rate of a writer: mean and 90% interval under a uniform prior."""
    a, b = approved + 1, other + 1
    tail = (1 - CREDIBLE) / 2
    return {"mean": a / (a + b), "low": _quantile(tail, a, b), "high": _quantile(1 - tail, a, b),
            "verdicts": approved + other}


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value < 120 else f"{value / 60:.0f} min"


def risk(metrics: dict, *, project_median_active: float | None, peers: int,
         trust: dict | None) -> tuple[float, list[str]]:
    """Return (score, why): the task's review priority and each part of it in words."""
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
    if trust is None or not trust["verdicts"]:
        score += 0.5
        why.append("writer has no verdicts yet (+0.5)")
    else:
        part = RECORD_WEIGHT * (1 - trust["mean"])
        score += part
        why.append(f"writer approval {trust['mean']:.0%} ({trust['low']:.0%}–{trust['high']:.0%}, "
                   f"{trust['verdicts']} verdicts) (+{part:.1f})")
    return round(score, 2), why
