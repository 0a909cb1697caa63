"""The export's query parameters: one DRF input serializer that parses AND documents them.

Each field parses its parameter with export_request's parser (same defaults, same
messages; the first invalid parameter answers, as a typed ExportRequestError) and
carries the description the OpenAPI schema shows (`extend_schema(parameters=[...])`).
GET /api/export/ and `manage.py export_trajectories` both read through it.
"""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.fields import empty

from oversight.core.formats import FORMATS

from . import export_request as parse
from .export_selectors import ExportFilters


class _Parsed:
    """A field whose value is its parser's answer for the raw text (None when absent)."""

    def __init__(self, parser, **kwargs):
        self.parser = parser
        super().__init__(required=False, **kwargs)

    def get_value(self, dictionary):
        value = dictionary.get(self.field_name, empty)
        return None if value is empty else value

    def run_validation(self, data=empty):
        # No DRF coercion: the parser owns the defaults and the error (ExportRequestError).
        return self.parser(None if data is empty else data)


class _Text(_Parsed, serializers.CharField):
    def __init__(self, parser, **kwargs):
        super().__init__(parser, allow_blank=True, **kwargs)  # blank means the default


class _Choice(_Parsed, serializers.ChoiceField):
    pass


class _Number(_Parsed, serializers.FloatField):
    pass


class _Moment(_Parsed, serializers.DateTimeField):
    pass


class _Flag(_Parsed, serializers.BooleanField):
    pass


class _Count(_Parsed, serializers.IntegerField):
    pass


def _named(function, name):
    return lambda value: function(name, value)


class _Slugs(_Parsed, serializers.ListField):
    """Repeated and comma-separated project slugs (blanks dropped, each once)."""

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist"):
            return dictionary.getlist(self.field_name)
        value = dictionary.get(self.field_name)
        return [value] if isinstance(value, str) else list(value or [])


# The parameters that are not filters: which projects, which format, whether to gzip.
NOT_FILTERS = ("project", "format", "gzip")


class ExportParamsSerializer(serializers.Serializer):
    """Every query parameter of GET /api/export/, in the order they are checked."""

    project = _Slugs(lambda values: parse.project_slugs(values or []),
                     child=serializers.CharField(allow_blank=True), help_text=(
        "Project slug; repeat it or separate slugs with commas. Default: every project you "
        "lead."))
    format = _Choice(parse.parse_format, choices=FORMATS,
                     help_text="Record format (default trajectory).")

    status = _Text(parse._statuses, help_text=(
        "Task status, a comma-separated list of them, or `any` (default approved). "
        "One of: " + ", ".join(parse.STATUS_KEYS) + "."))
    reviewed_after = _Moment(_named(parse._moment, "reviewed_after"), help_text=(
        "Keep tasks whose latest review is at or after this ISO date or datetime (UTC "
        "unless it names a zone)."))
    reviewed_before = _Moment(_named(parse._moment, "reviewed_before"), help_text=(
        "Keep tasks whose latest review is before this ISO date or datetime."))
    writer = _Text(lambda value: (value or "").strip(),
                   help_text="Username of the exported final's submitter.")
    min_rubric_average = _Number(_named(parse._number, "min_rubric_average"), help_text=(
        "Keep tasks whose latest review's scores average at least this."))
    exclude_flagged = _Flag(_named(parse.parse_flag, "exclude_flagged"), help_text=(
        "1: drop records whose quality signals raise any flag."))
    verified = _Flag(_named(parse.parse_flag, "verified"), help_text=(
        "1: keep records whose final passed every test of the task's verifier "
        "(`meta.verifier.verified`); in `preference` the pair is a verified improvement."))
    round = _Text(parse._round, help_text=(
        "`last` (default: each task's latest final) or a round number: only tasks with a "
        "final of that round, exported with it."))
    max_final_share_pasted = _Number(_named(parse._number, "max_final_share_pasted"),
                                     help_text=(
        "Keep records whose final is at most this share (0–1) of pasted code points "
        "(metrics `final_share_pasted`)."))
    max_final_share_model = _Number(_named(parse._number, "max_final_share_model"),
                                    help_text=(
        "Keep records whose final is at most this share (0–1) of accepted model "
        "suggestions (metrics `final_share_model`)."))
    task = _Count(parse._task, help_text=(
        "One task's record only (the `export_url` of a `task.approved` webhook)."))
    min_writer_trust = _Number(_named(parse._share, "min_writer_trust"), help_text=(
        "Keep records whose final's writer has a trust (posterior approval rate, 0-1, "
        "see docs/signals.md) of at least this; writers without verdicts count 0.5."))
    include_gold = _Flag(_named(parse.parse_flag, "include_gold"), help_text=(
        "1: include gold tasks (drafts with planted flaws, left out by default); their "
        "records carry `meta.gold` (the flaws, each `caught` or not)."))

    gzip = _Flag(_named(parse.parse_flag, "gzip"),
                 help_text="1: gzip the stream (as `Accept-Encoding: gzip` does).")

    def parsed(self) -> dict:
        """Return every parameter parsed; raise ExportRequestError for the first invalid one."""
        self.is_valid()  # the parsers raise ExportRequestError themselves, never DRF's errors
        return dict(self.validated_data)

    def filters(self) -> ExportFilters:
        """Return the filters among the parameters (raising ExportRequestError)."""
        values = self.parsed()
        values["statuses"] = values.pop("status")
        return ExportFilters(**{k: v for k, v in values.items() if k not in NOT_FILTERS})


def parse_filters(params: Mapping) -> ExportFilters:
    """Return the filters named by query-style parameters; raise ExportRequestError if invalid."""
    return ExportParamsSerializer(data=params).filters()


def export_request(user, params, accept_encoding: str = "") -> parse.ExportRequest:
    """Return the export a GET asks for: `params` is its QueryDict, then its Accept-Encoding.

    Who may export which projects is answered first (403/404 before any 400).
    """
    projects = parse.managed_projects(user, parse.project_slugs(params.getlist("project")))
    serializer = ExportParamsSerializer(data=params)
    filters = serializer.filters()
    values = serializer.validated_data
    return parse.ExportRequest(
        projects=projects, fmt=values["format"], filters=filters,
        gzip=values["gzip"] or bool(parse.ACCEPTS_GZIP.search(accept_encoding)))
