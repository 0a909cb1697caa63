"""What webhooks cost: an import with a subscribed webhook beside one without, and delivery rate.

Usage (from the repository root):

    .venv/bin/python bench/webhooks_bench.py [--tasks 5000] [--deliver 500]

Writes N JSONL tasks (as bench/import_bench.py does), then on fresh SQLite files times
`manage.py import_tasks` into a project without webhooks (the baseline) and into one with
a webhook wanting `task.imported` (each task then gets a delivery row, and each 50 of them
a job, in the import's transaction). Last it sends the first `--deliver` of those
deliveries to a real loopback receiver with `manage.py db_worker` and prints deliveries
per second.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import ROOT, SLUG, fresh_database, timed, write_tasks  # noqa: E402


class _Ok(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()


def shell(env: dict, code: str) -> str:
    return subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT,
                          env=env, check=True, capture_output=True, text=True).stdout


def add_webhook(env: dict, url: str) -> None:
    shell(env, "from oversight.workspace.models import Project\n"
               "from oversight.webhooks.services import webhook_create\n"
               f"webhook_create(project=Project.objects.get(slug='{SLUG}'), user=None, "
               f"url='{url}', events=['task.imported'], secret='bench-secret-0123456789')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--deliver", type=int, default=500)
    args = parser.parse_args()
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    with tempfile.TemporaryDirectory(prefix="oversight-webhooks-bench-") as tmp:
        folder = Path(tmp)
        tasks = folder / "tasks.jsonl"
        write_tasks(tasks, args.tasks, 2048)
        cmd = [sys.executable, "manage.py", "import_tasks", str(tasks), "--project", SLUG]
        baseline_env = fresh_database(folder, "baseline")
        baseline = timed(cmd, baseline_env)
        hooked_env = fresh_database(folder, "hooked")
        add_webhook(hooked_env, url)
        hooked = timed(cmd, hooked_env)
        count = shell(hooked_env, "from oversight.webhooks.models import Delivery; "
                                  "print(Delivery.objects.count())").strip().splitlines()[-1]
        print(f"{args.tasks} tasks imported: no webhook {baseline:.2f} s (baseline), "
              f"one webhook {hooked:.2f} s ({int(count)} deliveries queued); "
              f"{hooked / baseline:.2f}x")
        # Keep only the first N deliveries (and the jobs that name them), then time one worker.
        shell(hooked_env, "from django_tasks_db.models import DBTaskResult\n"
                          "from oversight.webhooks.delivery import JOB_CHUNK\n"
                          "from oversight.webhooks.models import Delivery\n"
                          "first = Delivery.objects.order_by('id')[0].id\n"
                          f"Delivery.objects.filter(id__gte=first + {args.deliver}).delete()\n"
                          "ids = list(DBTaskResult.objects.order_by('enqueued_at')"
                          f".values_list('id', flat=True)[-(-{args.deliver} // JOB_CHUNK):])\n"
                          "DBTaskResult.objects.filter(id__in=ids).delete()")
        worker_env = {**hooked_env, "WEBHOOKS_ALLOW_PRIVATE": "true"}
        started = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--queue-name",
                        "webhooks", "--interval", "0", "--no-startup-delay", "--no-reload"],
                       cwd=ROOT, env=worker_env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        sent = shell(hooked_env, "from oversight.webhooks.models import Attempt; "
                                 "print(Attempt.objects.filter(ok=True).count())")
        sent = int(sent.strip().splitlines()[-1])
        print(f"one db_worker delivered {sent} to a loopback receiver in {seconds:.2f} s "
              f"(whole process): {sent / seconds:.0f} deliveries/s")
    receiver.shutdown()


if __name__ == "__main__":
    main()
