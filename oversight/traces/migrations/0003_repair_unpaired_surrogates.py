"""Repair JSON values stored with unpaired surrogates (before the API refused them).

A lone "\\ud800" escape decodes to a string UTF-8 cannot encode, so every response that
rendered such a row failed (a note's anchor broke its task's notes for everyone). Text
columns could never hold one (the drivers refuse to encode it); JSON columns stored the
escape as is. Anchors that are not the strict {start, end} of base64 positions are
dropped (the editor falls back to the note's quote); other values keep everything but
the surrogate, replaced by U+FFFD.
"""

import re

from django.db import migrations

SURROGATE = re.compile("[\ud800-\udfff]")
POSITION = re.compile(
    r"(?=.)(?:[A-Za-z0-9+/]{4}){0,100}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")

JSON_COLUMNS = [
    ("workspace", "Project", ("rubric", "signal_thresholds")),
    ("workspace", "Task", ("metadata",)),
    ("workspace", "Draft", ("params",)),
    ("review", "Review", ("scores", "score_comments", "anchored_comments")),
]


def _repaired(value):
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_repaired(item) for item in value]
    if isinstance(value, dict):
        return {_repaired(key): _repaired(item) for key, item in value.items()}
    return value


def _strict_anchor(anchor):
    if anchor == {}:
        return anchor
    if (isinstance(anchor, dict) and set(anchor) == {"start", "end"}
            and all(isinstance(v, str) and POSITION.fullmatch(v) for v in anchor.values())):
        return anchor
    return {}


def repair(apps, schema_editor):
    Note = apps.get_model("traces", "Note")
    for pk, anchor in Note.objects.values_list("pk", "anchor").iterator(chunk_size=2000):
        fixed = _strict_anchor(anchor)
        if fixed != anchor:
            Note.objects.filter(pk=pk).update(anchor=fixed)
    for app, model_name, fields in JSON_COLUMNS:
        model = apps.get_model(app, model_name)
        for field in fields:
            rows = model.objects.values_list("pk", field).iterator(chunk_size=2000)
            for pk, value in rows:
                fixed = _repaired(value)
                if fixed != value:
                    model.objects.filter(pk=pk).update(**{field: fixed})


class Migration(migrations.Migration):
    dependencies = [
        ("traces", "0002_help_texts"),
        ("workspace", "0004_project_allow_self_review"),
        ("review", "0003_review_self_review"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
