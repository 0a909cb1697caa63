"""Flag rules: each decides from the signals and thresholds, and says why in numbers.

A flag is evidence for a human, never a verdict: its reason names the measured
values and the threshold crossed, and its moments are the event seqs the player
can jump to (empty where the whole session is the evidence).
"""

from .thresholds import thresholds_in_force


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _pct(value: float) -> str:
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def _seconds_spent(s: dict) -> float:
    """Time on the task: active editing, or open to submit when longer (reading counts)."""
    return max(s["active_seconds"], s["open_to_submit_seconds"] or 0.0)


def rubber_stamp(s: dict, ctx: dict, t: dict):
    draft_len = ctx["draft_chars"]
    spent = _seconds_spent(s)
    per_1k = spent / draft_len * 1000 if draft_len else float("inf")
    if (s["changed_fraction"] <= t["rubber_stamp_max_changed_fraction"]
            and per_1k <= t["rubber_stamp_max_seconds_per_1k"]):
        return (f"{_n(spent)} s on a {_n(draft_len)}-character draft "
                f"({per_1k:.1f} s per 1,000 characters); {_pct(s['changed_fraction'])} changed"), []
    return None


def paste_heavy(s: dict, ctx: dict, t: dict):
    # Moving the task's own text around (cut and paste) brings nothing in: not counted.
    inserted = s["chars_inserted"]
    share = s["external_paste_chars"] / inserted if inserted else 0.0
    if share > t["paste_heavy_share"]:
        return (f"{_pct(share)} of {_n(inserted)} inserted characters pasted from outside "
                f"the task (largest paste {_n(s['largest_paste'])})"), ctx["largest_pastes"]
    return None


def no_reasoning(s: dict, ctx: dict, t: dict):
    changed = s["chars_inserted"] + s["chars_deleted"]
    if s["notes"] == 0 and changed >= t["no_reasoning_min_changed_chars"]:
        return f"no note on {_n(changed)} changed characters", []
    return None


def burst_only(s: dict, ctx: dict, t: dict):
    # Text moved within the task (cut and paste of its own text) is not new text: left out.
    inserted = s["chars_inserted"] - ctx["own_pasted"]
    if inserted > 0 and ctx["typed"] / inserted < t["burst_only_min_typed_share"]:
        return (f"only {_pct(ctx['typed'] / inserted)} of {_n(inserted)} new characters "
                f"typed"), ctx["largest_pastes"]
    return None


def synthetic_typing(s: dict, ctx: dict, t: dict):
    n, median, spread = s["typing_intervals"], s["typing_median_ms"], s["typing_dispersion"]
    if median is None or n < t["synthetic_min_intervals"]:
        return None
    if median < t["synthetic_min_median_ms"]:
        why = f"median {median:.0f} ms between keystrokes, faster than a person types"
    elif spread < t["synthetic_max_dispersion"]:
        why = (f"keystroke intervals too even: 90th percentile only {spread:.1f}× the 10th "
               f"(people: 3× and more)")
    else:
        return None
    return f"{why}; {_n(n)} intervals", ctx["bursts"]


def external_paste(s: dict, ctx: dict, t: dict):
    if s["external_paste_chars"] >= t["external_paste_min_chars"]:
        pastes = len(ctx["external"])
        refocused = ctx.get("external_after_refocus", [])
        after = (f"; {len(refocused)} right after the window got focus back"
                 if refocused else "")
        moments = sorted({*refocused[:5], *ctx["external"][:5]})
        return (f"{_n(s['external_paste_chars'])} pasted characters not in the draft, prompt, "
                f"model help or earlier text (in {pastes} paste{'s' if pastes != 1 else ''})"
                f"{after}"), moments
    return None


def untrusted_input(s: dict, ctx: dict, t: dict):
    # The browser marked the input events behind these edits as not the user's own.
    if s["untrusted_chars"] >= t["untrusted_min_chars"]:
        events = s["untrusted_events"]
        return (f"{_n(s['untrusted_chars'])} characters inserted by {_n(events)} edit"
                f"{'s' if events != 1 else ''} from input events the browser marked as "
                f"programmatic (not the user's keys)"), ctx["untrusted"][:5]
    return None


def paste_then_polish(s: dict, ctx: dict, t: dict):
    paste = ctx["largest_external"]
    if paste is None:
        return None
    seq, size, after = paste
    share = size / max(1, ctx["final_chars"])
    if share >= t["paste_polish_min_share"] and after <= t["paste_polish_max_changed"] * size:
        then = (f"followed by {_n(after)} changed characters ({_pct(after / size)} of it)"
                if after else "followed by no edit")
        return (f"a {_n(size)}-character external paste ({_pct(min(share, 1.0))} of the final) "
                f"{then}"), [seq]
    return None


RULES = {
    "rubber_stamp": rubber_stamp,
    "paste_heavy": paste_heavy,
    "no_reasoning": no_reasoning,
    "burst_only": burst_only,
    "synthetic_typing": synthetic_typing,
    "external_paste": external_paste,
    "paste_then_polish": paste_then_polish,
    "untrusted_input": untrusted_input,
}


def decide(s: dict, ctx: dict, thresholds: dict) -> tuple[list[str], dict, dict]:
    """Return the raised flags (sorted), their reasons and their moments."""
    t = thresholds_in_force(thresholds)
    reasons, moments = {}, {}
    for flag in sorted(RULES):
        raised = RULES[flag](s, ctx, t)
        if raised is not None:
            reasons[flag], moments[flag] = raised[0], list(raised[1])
    return sorted(reasons), reasons, moments
