"""The export's parameters, one parser each, with their messages; and who may export what.

Each parser takes the raw text (None when absent) and returns the value or raises
ExportRequestError. `serializers_export.ExportParamsSerializer` lists the parameters
(names, order, OpenAPI descriptions) and runs these parsers; read a request with
`serializers_export.export_request`.
"""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.validators import slug_re
from django.utils import timezone

from oversight.core.formats import FORMATS
from oversight.core.numbers import parse_count
from oversight.workspace import status as task_status
from oversight.workspace.access import MANAGERS, projects_for, role_in
from oversight.workspace.models import Project

from .export_selectors import ExportFilters

DEFAULT_FORMAT = "trajectory"
ANY_STATUS = "any"
LAST_ROUND = "last"
STATUS_KEYS = tuple(key for key, _ in task_status.CHOICES)
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding
PLUS_AS_SPACE = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")

UNKNOWN_FORMAT = "Unknown format '{value}'; use one of: " + ", ".join(FORMATS) + "."
BAD_STATUS = ("Unknown status '{value}'; use 'any' or a comma-separated list of: "
              + ", ".join(STATUS_KEYS) + ".")
BAD_DATETIME = ("{name} must be an ISO 8601 date or datetime (2026-11-28 or "
                "2026-11-28T10:00:00Z), not '{value}'.")
BAD_NUMBER = "{name} must be a number, not '{value}'."
BAD_SHARE = "{name} must be a number from 0 to 1, not '{value}'."
BAD_ROUND = "round must be 'last' or a round number (1, 2, …), not '{value}'."
BAD_TASK = "task must be a task id (a positive integer), not '{value}'."
BAD_FLAG = "{name} must be 1 or 0, not '{value}'."
NO_SUCH_PROJECT = "No project '{slug}'."
NOT_A_MANAGER = "Only the project's leads and admins may export it; you are a {role} in '{slug}'."
MANAGES_NOTHING = "Only a project's leads and admins may export, and you lead no project."


class ExportRequestError(Exception):
    """An export request that cannot be served, with the HTTP status and code to answer."""

    def __init__(self, status: int, code: str, message: str, detail: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail or {}


def _invalid(code: str, message: str, **detail) -> ExportRequestError:
    return ExportRequestError(400, code, message, detail)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export, in which format, and whether to gzip it."""

    projects: tuple[Project, ...]
    fmt: str
    filters: ExportFilters
    gzip: bool


def parse_format(value: str | None) -> str:
    """Return the export format named by `value` (default: trajectory)."""
    fmt = (value or DEFAULT_FORMAT).strip()
    if fmt not in FORMATS:
        raise _invalid("unknown_format", UNKNOWN_FORMAT.format(value=fmt), format=fmt,
                       expected=list(FORMATS))
    return fmt


def parse_flag(name: str, value: str | None) -> bool:
    """Return a 1/0 (true/false, yes/no, on/off) parameter's value."""
    word = (value or "").strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise _invalid("invalid_parameter", BAD_FLAG.format(name=name, value=value))
    return word in TRUE_WORDS


def _statuses(value: str | None) -> tuple[str, ...] | None:
    words = [w.strip() for w in (value or task_status.APPROVED).split(",") if w.strip()]
    if ANY_STATUS in words:
        return None
    for word in words:
        if word not in STATUS_KEYS:
            raise _invalid("invalid_parameter", BAD_STATUS.format(value=word))
    return tuple(words) or (task_status.APPROVED,)


def _moment(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    # An unencoded "+01:00" in a query string arrives as " 01:00".
    text = PLUS_AS_SPACE.sub(r"\1+\2", value.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _invalid("invalid_parameter", BAD_DATETIME.format(name=name, value=value)) from None
    # A moment without a zone is in the server's time zone (UTC by default). Sent as UTC:
    # Python accepts offsets up to ±23:59, PostgreSQL refuses those beyond ±15:59 — and an
    # error there, inside the streamed body, would be no status at all.
    aware = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    try:
        return aware.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
        raise _invalid("invalid_parameter", BAD_DATETIME.format(name=name, value=value)) from None


def _number(name: str, value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise _invalid("invalid_parameter", BAD_NUMBER.format(name=name, value=value))
    return number


def _share(name: str, value: str | None) -> float | None:
    number = _number(name, value)
    if number is not None and not 0 <= number <= 1:
        raise _invalid("invalid_parameter", BAD_SHARE.format(name=name, value=value))
    return number


def _round(value: str | None) -> int | None:
    text = (value or LAST_ROUND).strip()
    if text == LAST_ROUND:
        return None
    number = parse_count(text)
    if number is None or number < 1:
        raise _invalid("invalid_parameter", BAD_ROUND.format(value=value))
    return number


def _task(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise _invalid("invalid_parameter", BAD_TASK.format(value=value))
    return int(text)


def project_slugs(values: list[str]) -> list[str]:
    """Split repeated and comma-separated project slugs, keeping their order, once each."""
    slugs = [s.strip() for value in values for s in value.split(",") if s.strip()]
    return list(dict.fromkeys(slugs))


def managed_projects(user, slugs: list[str]) -> tuple[Project, ...]:
    """Return the named projects (default: all the user manages); refuse any they do not manage."""
    if not slugs:
        projects = tuple(p for p in projects_for(user) if role_in(user, p) in MANAGERS)
        if not projects:
            raise ExportRequestError(403, "permission_denied", MANAGES_NOTHING)
        return projects
    # Only a well-formed slug can name a project; the rest (a NUL byte, which PostgreSQL
    # refuses in a query, or any other character) are simply not found.
    found = {p.slug: p for p in Project.objects.filter(
        slug__in=[s for s in slugs if slug_re.fullmatch(s)])}
    for slug in slugs:
        role = role_in(user, found[slug]) if slug in found else None
        if role is None:  # outsiders learn nothing, not even that the project exists
            raise ExportRequestError(404, "not_found", NO_SUCH_PROJECT.format(slug=slug))
        if role not in MANAGERS:
            raise ExportRequestError(403, "permission_denied",
                                     NOT_A_MANAGER.format(role=role, slug=slug))
    return tuple(found[slug] for slug in slugs)
