"""The trajectory of a long trace in pieces: an overview, then events by seq range."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.core.numbers import parse_count
from oversight.traces import playback

from .player import trajectory_overview
from .views_traces import visible_task


class TrajectoryOverview(APIView):
    """Return the trajectory without its events: draft, final, notes, runs and an index.

    `index_t_ms[i]` is the time of event `(i + 1) × index_stride` (at most 1,024 points);
    `bins` tells about how many edits fall in each of 200 equal slices of `last_t_ms`,
    from that index; `pastes` lists every paste; `marked` every event the browser marked
    untrusted or silent; `focus` the intervals the writer's window had lost focus (as in
    the record). Events come from `trajectory/events/`.
    """

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(trajectory_overview(visible_task(request, pk)))


def _bound(request, name: str, default: int, last: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value = parse_count(raw)
    if value is None or value < 1:
        raise ValidationError({name: f"expected an integer between 1 and {max(1, last)}"})
    return value


class TrajectoryEvents(APIView):
    """Return the events with from_seq <= seq <= to_seq (at most `max_range` of them).

    The answer says which range it holds: to_seq is cut to the last event and to
    from_seq + max_range - 1; t_ms counts from the trace's first event, as in the record.
    """

    @extend_schema(responses={
        200: OpenApiTypes.OBJECT,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bound is not a seq."),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such task visible to you."),
    }, parameters=[
        OpenApiParameter("from_seq", OpenApiTypes.INT, description="First seq (default 1)."),
        OpenApiParameter("to_seq", OpenApiTypes.INT,
                         description=f"Last seq (default and at most from_seq + "
                                     f"{playback.MAX_RANGE - 1}).")])
    def get(self, request, pk):
        task = visible_task(request, pk)
        last, first_ms, _ = playback.span(task)
        from_seq = _bound(request, "from_seq", 1, last)
        to_seq = _bound(request, "to_seq", from_seq + playback.MAX_RANGE - 1, last)
        if to_seq < from_seq:
            raise ValidationError({"to_seq": "expected to_seq >= from_seq"})
        to_seq = min(to_seq, from_seq + playback.MAX_RANGE - 1, last)
        events = (playback.event_range(task, from_seq, to_seq, first_ms)
                  if to_seq >= from_seq else [])
        return Response({"from_seq": from_seq, "to_seq": max(to_seq, from_seq - 1),
                         "last_seq": last, "events": events})
