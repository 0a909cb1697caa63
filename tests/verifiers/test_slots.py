"""The per-host bound on sandboxes: a run waits for a free slot, across threads/processes."""

import threading

from oversight.verifiers.slots import sandbox_slot


def test_a_second_run_waits_until_the_only_slot_is_free(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.VERIFIERS = {**settings.VERIFIERS, "CONCURRENCY": 1}
    order = []
    holding, release = threading.Event(), threading.Event()

    def first():
        with sandbox_slot():
            order.append("first in")
            holding.set()
            release.wait(10)
            order.append("first out")

    def second():
        holding.wait(10)
        with sandbox_slot():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    assert order == ["first in"]  # the second cannot have entered: the slot is held
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]


def test_two_slots_admit_two_runs_at_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.VERIFIERS = {**settings.VERIFIERS, "CONCURRENCY": 2}
    with sandbox_slot() as one, sandbox_slot() as two:
        assert one != two
