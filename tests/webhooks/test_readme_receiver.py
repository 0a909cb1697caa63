"""The README's ten-line receiver works: it accepts signed deliveries and refuses others."""

import re
import threading
from http.server import HTTPServer
from pathlib import Path

import pytest

from oversight.webhooks.events import TASK_IMPORTED, emit_task_event
from oversight.webhooks.models import Attempt
from oversight.webhooks.services import webhook_create, webhook_update
from tests.webhooks.helpers import drain

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = "the webhook's secret"


@pytest.fixture
def readme_receiver(capsys):
    block = re.search(r"```python\n(import hashlib, hmac, json\n.*?)```", README.read_text(),
                      re.S).group(1)
    code, last = block.rstrip().rsplit("\n", 1)
    assert last == 'HTTPServer(("", 8080), Receiver).serve_forever()'
    assert len([line for line in block.splitlines() if line.strip()]) <= 11
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # the README's own code
    namespace["Receiver"].log_message = lambda *args: None
    server = HTTPServer(("127.0.0.1", 0), namespace["Receiver"])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_the_readme_receiver_checks_signatures(team, readme_receiver, capsys):
    hook = webhook_create(project=team.project, user=team.lead, url=readme_receiver,
                          events=[TASK_IMPORTED], secret=SECRET)
    emit_task_event(TASK_IMPORTED, task=team.task1)
    drain()
    assert Attempt.objects.get().status_code == 204
    assert capsys.readouterr().out == f"{TASK_IMPORTED} {team.task1.pk}\n"

    webhook_update(webhook=hook, secret="not the receiver's secret")
    emit_task_event(TASK_IMPORTED, task=team.task2)
    drain()
    assert Attempt.objects.order_by("-id").first().status_code == 401
