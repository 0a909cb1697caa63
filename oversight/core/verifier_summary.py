"""What a task's verifier runs say, from their records: one owner for the summary.

Used by the queue and metrics (`tests_total`, …) and by the export's `meta.verifier`.
A run record is `oversight.verifiers.selectors.run_record`'s shape (the trajectory's
`verifier_runs` items).
"""

from __future__ import annotations

from .trajectory import sha256_text

SUMMARY_KEYS = ("tests_total", "tests_passing_draft", "tests_passing_final", "first_green_seq",
                "verifier_runs")
FINISHED = ("passed", "failed", "error", "timeout", "memory", "output_limit", "refused")


def _latest_on(runs: list[dict], sha256: str | None) -> dict | None:
    matching = [run for run in runs if sha256 and run["sha256"] == sha256
                and run["status"] in FINISHED]
    return matching[-1] if matching else None


def summarize_runs(runs: list[dict], *, draft_sha: str | None, final_sha: str | None) -> dict:
    """tests_total, tests_passing_draft/final (None: never run), first_green_seq, runs.

    `runs` oldest first; the latest finished run on a text speaks for it.
    """
    finished = [run for run in runs if run["status"] in FINISHED]
    draft, final = _latest_on(runs, draft_sha), _latest_on(runs, final_sha)
    green = [run["seq"] for run in finished if run["status"] == "passed"]
    return {"tests_total": max((run["total"] for run in finished), default=0),
            "tests_passing_draft": draft["passed"] if draft else None,
            "tests_passing_final": final["passed"] if final else None,
            "first_green_seq": min(green) if green else None,
            "verifier_runs": len(runs)}


def export_meta(traj: dict) -> dict | None:
    """`meta.verifier` of a trajectory record: pass counts of the draft and the final.

    None when the task's tests never ran. `verified`: the final passed every test.
    """
    runs = traj.get("verifier_runs") or []
    if not runs:
        return None
    final_sha = traj["final"]["sha256"] if traj.get("final") else None
    draft_run = _latest_on(runs, sha256_text(traj["draft"]["text"]))
    final_run = _latest_on(runs, final_sha)
    return {"tests_total": max((run["total"] for run in runs), default=0),
            "draft_passed": draft_run["passed"] if draft_run else None,
            "final_passed": final_run["passed"] if final_run else None,
            "verified": bool(final_run and final_run["status"] == "passed")}
