"""A small world for access tests: one project with every role, another project, outsiders.

`open_task` is being edited by its assigned writer (events and a note); `done_task` was
edited and submitted by the same writer and waits for review. `writer_other` is a
writer of the project assigned to neither; `lead_elsewhere` leads another project.
`group` is an overlap group: `done_task` and a sibling `writer_other` wrote and submitted.
"""

from dataclasses import dataclass

from oversight.assist.models import AssistRequest
from oversight.experiments.services import experiment_create
from oversight.webhooks.models import Delivery, Webhook
from oversight.workspace.models import Membership, OverlapGroup
from tests.factories import add_member, make_project, make_task, make_user
from tests.review.traces import Recorder, note, submit

ROLES = ("anonymous", "writer_assigned", "writer_other", "reviewer", "lead", "lead_elsewhere",
         "no_project", "admin")


@dataclass
class World:
    project: object
    elsewhere: object
    open_task: object
    done_task: object
    note: object
    users: dict
    webhook: object = None
    delivery: object = None
    assist: object = None
    group: object = None
    sibling: object = None
    experiment: object = None


def build_world() -> World:
    project, elsewhere = make_project(slug="here"), make_project(slug="elsewhere")
    users = {name: make_user(name) for name in ROLES if name != "anonymous"}
    users["admin"].is_superuser = True
    users["admin"].save()
    for name, role in (("writer_assigned", Membership.WRITER),
                       ("writer_other", Membership.WRITER), ("reviewer", Membership.REVIEWER),
                       ("lead", Membership.LEAD)):
        add_member(users[name], project, role)
    add_member(users["lead_elsewhere"], elsewhere, Membership.LEAD)
    make_task(elsewhere, assignees=[users["writer_other"]])
    writer = users["writer_assigned"]
    open_task = make_task(project, draft_text="The sky is violet.", assignees=[writer])
    Recorder(open_task).type(writer, " Air scatters blue light.")
    written = note(open_task, writer, "scatters")
    done_task = make_task(project, draft_text="Water is dry.", assignees=[writer])
    Recorder(done_task).type(writer, " No: water is wet.")
    submit(done_task, writer)
    group = OverlapGroup.objects.create(project=project, external_id="pair")
    sibling = make_task(project, draft_text="Water is dry.", assignees=[users["writer_other"]],
                        external_id="pair/2")
    Recorder(sibling).type(users["writer_other"], " Water is wet.")
    submit(sibling, users["writer_other"])
    type(done_task).objects.filter(pk__in=[done_task.pk, sibling.pk]).update(group=group)
    done_task.refresh_from_db()
    webhook = Webhook.objects.create(project=project, created_by=users["lead"],
                                     url="http://127.0.0.1:9/hook", events=["task.approved"],
                                     secret="s" * 32)
    delivery = Delivery.objects.create(webhook=webhook, event="task.approved", task=done_task,
                                       payload={"event": "task.approved"})
    assist = AssistRequest.objects.create(
        task=open_task, user=writer, action=AssistRequest.CRITIQUE, seq=1, start=0, end=3,
        quote="The", model="m", outcome=AssistRequest.ANSWERED, response="Fine.")
    experiment = experiment_create(project=project, user=users["lead"], name="Help on",
                                   hypothesis="Model help saves time.", seed=1,
                                   variants=[{"name": "A"}, {"name": "B", "settings": {
                                       "model_help": "all"}}])
    return World(project=project, elsewhere=elsewhere, open_task=open_task,
                 done_task=done_task, note=written, users=users, webhook=webhook,
                 delivery=delivery, assist=assist, group=group,
                 sibling=sibling, experiment=experiment)
