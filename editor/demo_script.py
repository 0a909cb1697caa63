"""The demo's recorded work: who did what on which task (driven by editor/demo_activity.py).

explain (prose): sky-blue is edited with care and notes, then approved with rubric
scores; vaccines is sent back and reworked in round 2 (awaiting review again);
compound-interest is a planted paste-in (most of the answer pasted over the draft);
seasons is a rubber stamp (one character changed, submitted); stale-bread is in
progress; tides is a gold task (two planted flaws) whose writer fixes one and misses the
other, so the writers' dashboard shows a catch rate. pyfuncs (code): chunk is fixed with
notes and submitted.
"""

from __future__ import annotations

import asyncio

from django.contrib.auth import get_user_model

from oversight.review.gold import record_outcome
from oversight.review.services import review_submit
from oversight.traces.services import note_create, task_submit
from oversight.workspace.models import Task

from .demo_activity import Session, now_ms
from .demo_overlap import record_overlap_group

HOUR_MS = 3_600_000
# An answer from elsewhere (a chatbot in another tab), pasted over the whole draft.
PASTED_ANSWER = """**Compound interest** means earning "interest on interest". Each period, the \
interest is added to your balance, and the next period's interest is calculated on that \
bigger balance.

**Formula:** A = P(1 + r/n)^(nt), where P is the principal, r the annual rate, n the \
number of compounding periods per year and t the number of years.

**Example:** invest $2,000 at 6% compounded monthly for 2 years:
A = 2000 × (1 + 0.06/12)^24 ≈ $2,254.32, so you earn about $254.32 in interest, \
compared with $240 under simple interest.

**Key takeaway:** the earlier you start saving, the more time compounding has to work \
for you. The same effect makes high-interest debt grow quickly if you leave it unpaid."""


def _note(task, user, quote: str, body: str, principle: str = "") -> None:
    task.refresh_from_db()
    text_now = _text(task)
    at = text_now.find(quote)
    note_create(task=task, author=user, body=body, principle=principle, start=at,
                end=at + len(quote), quote=quote)


def _text(task) -> str:
    from oversight.traces import selectors

    return selectors.text_at(task, selectors.last_seq(task))


def _sit(task, user, hours_ago: float, seed: int, actions) -> None:
    """One sitting: open the room, run `actions(session)`, wait until all is stored."""
    async def run():
        session = await Session(task, user, started_ms=now_ms() - int(hours_ago * HOUR_MS),
                                seed=seed).start()
        actions(session)
        await session.finish()
    asyncio.run(run())


def _sky_blue(s: Session) -> None:
    s.pause(180)  # reading the brief and the draft
    s.delete("Great question! The color of the sky is something people have wondered about "
             "for thousands of years, and the answer is a fascinating mix of physics, "
             "chemistry and biology.\n\n")
    s.pause(25)
    s.replace("gets stronger with the square of how short the wave is",
              "gets much stronger as the wave gets shorter")
    s.pause(120)
    s.delete("Part of the blue also comes from the oceans, which cover 71% of the Earth and "
             "reflect their color back up into the sky.\n\n")
    s.pause(30)
    s.replace("The reason is simply that the Sun does not give off violet light.",
              "Two reasons: sunlight contains less violet than blue, and our eyes are much "
              "less sensitive to violet, so the mix looks blue to us.")
    s.pause(20)
    s.delete(" It's a wonderful reminder of how much science there is in everyday things, "
             "and next time you look up, you'll know exactly what's going on!")


def _vaccines(s: Session) -> None:
    s.pause(150)
    s.delete("In effect, the vaccine gives you a mild case of the disease, so your body gets "
             "the practice without the danger.\n\n")
    s.pause(90)
    s.replace("the antibodies stay in your blood for the rest of your life",
              "they can last for years, sometimes for life")
    s.replace("it is destroyed immediately. This means that once you are vaccinated, you are "
              "completely protected and can never catch the disease.",
              "the body recognises it and fights it off much faster, often before you feel "
              "ill. No vaccine protects everyone completely, but it makes serious illness "
              "far less likely.")


def _vaccines_round2(s: Session) -> None:
    s.pause(20)
    s.replace("have eradicated so many diseases, such as smallpox, polio and measles.",
              "wiped out smallpox worldwide and made polio and measles rare where most "
              "people are vaccinated.")


def _compound_paste(s: Session) -> None:
    s.pause(8)
    s.delete(s.current)  # select all, delete
    s.paste("", PASTED_ANSWER)


def _seasons_stamp(s: Session) -> None:
    s.pause(3)
    s.delete("most ")  # one word, then straight to Submit


def _tides_one_caught(s: Session) -> None:
    s.pause(90)  # reading; the Sun is fixed, the "one high tide" slips through
    s.replace("the Sun's gravity", "the Moon's gravity")
    s.pause(20)
    s.insert_after("so a second bulge forms there too.",
                   " The Sun does the same, but less than half as strongly.")


def _bread_in_progress(s: Session) -> None:
    s.pause(25)
    s.replace("1. **Keep it in the fridge.** The cold slows everything down, so refrigerated "
              "bread stays soft much longer than bread left on the counter.",
              "1. **Keep it out of the fridge.** Cold speeds staling up: the starch")


def _chunk(s: Session) -> None:
    s.pause(120)
    s.replace("if size < 0:", "if size < 1:")
    s.pause(90)
    s.delete("    # Loop over the list in steps of size, stopping one before the end\n"
             "    # so that we never slice past the last element.\n")
    s.replace("range(0, len(items) - 1, size)", "range(0, len(items), size)")


def record_demo_activity(stdout=None) -> list[str]:
    """Record the scenario above; return one line per task it touched."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["writer1", "writer2", "reviewer1", "lead1"])}
    tasks = {t.external_id: t for t in Task.objects.filter(project__slug__in=["explain",
                                                                              "pyfuncs"])}
    w1, w2, reviewer, lead = (users[n] for n in ("writer1", "writer2", "reviewer1", "lead1"))
    done = []

    sky = tasks["explain-sky-blue"]
    _sit(sky, w1, 26, 1, _sky_blue)
    _note(sky, w1, "gets much stronger as the wave gets shorter",
          "The draft said *the square*; Rayleigh scattering goes with the **fourth power** "
          "of frequency. Said plainly instead of giving a wrong exponent.", "factual")
    _note(sky, w1, "Two reasons: sunlight contains less violet than blue",
          "The Sun does emit violet. The real reasons are the solar spectrum and how our "
          "eyes respond.", "factual")
    task_submit(task=sky, user=w1)
    review_submit(task=sky, reviewer=lead, verdict="approve",
                  scores={"serves-the-need": 5, "factual": 5, "calibrated": 4, "no-extras": 5,
                          "plain-language": 4},
                  comment="Clean fixes, and the notes say exactly why. Approved.")
    done.append("explain-sky-blue: edited, noted, approved")

    vac = tasks["explain-vaccines"]
    _sit(vac, w2, 24, 2, _vaccines)
    _note(vac, w2, "No vaccine protects everyone completely",
          "The draft promised complete, lifelong protection; no vaccine gives that.",
          "calibrated")
    task_submit(task=vac, user=w2)
    review_submit(task=vac, reviewer=reviewer, verdict="request_changes",
                  scores={"serves-the-need": 4, "factual": 2, "calibrated": 4, "no-extras": 4,
                          "plain-language": 4},
                  comment="Measles is **not** eradicated: the last paragraph still says so. "
                          "Please fix it and resubmit.")
    vac.refresh_from_db()
    _sit(vac, w2, 3, 3, _vaccines_round2)
    _note(vac, w2, "wiped out smallpox worldwide",
          "Only smallpox has been eradicated; polio and measles are still around.", "factual")
    task_submit(task=vac, user=w2)
    done.append("explain-vaccines: sent back in round 1, reworked and resubmitted in round 2")

    ci = tasks["explain-compound-interest"]
    _sit(ci, w1, 5, 4, _compound_paste)
    task_submit(task=ci, user=w1)
    done.append("explain-compound-interest: a paste-in, submitted")

    seasons = tasks["explain-seasons"]
    _sit(seasons, w2, 2, 5, _seasons_stamp)
    task_submit(task=seasons, user=w2)
    done.append("explain-seasons: a rubber stamp, submitted")

    tides = tasks["explain-tides"]  # a gold task, not that writer2 can tell
    _sit(tides, w2, 1.5, 8, _tides_one_caught)
    _note(tides, w2, "the Moon's gravity",
          "The Moon raises most of the tide; the Sun's effect is under half of it.", "factual")
    record_outcome(task=tides, submission=task_submit(task=tides, user=w2))  # as the API does
    done.append("explain-tides: a gold task, one of its two planted flaws caught, submitted")

    _sit(tasks["explain-stale-bread"], w1, 0.5, 6, _bread_in_progress)
    done.append("explain-stale-bread: in progress")

    chunk = tasks["pyfuncs-chunk"]
    _sit(chunk, w1, 20, 7, _chunk)
    _note(chunk, w1, "range(0, len(items), size)",
          "`chunk([1, 2, 3], 2)` returned `[[1, 2]]`: the range stopped one short.",
          "serves-the-need")
    _note(chunk, w1, "if size < 1:", "`size == 0` looped forever instead of raising.",
          "edge-cases")
    task_submit(task=chunk, user=w1)
    done.append("pyfuncs-chunk: fixed, noted, submitted")
    done += record_overlap_group(_sit)
    return done
