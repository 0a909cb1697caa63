"""Review over HTTP: verdicts, claims and diffs between points of a trajectory."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.review import services
from oversight.review.diffs import DiffError, task_diff
from oversight.review.selectors import claim_of, reviews_of

from .responses import error_response
from .schema import conflict
from .serializers_review import (
    ClaimSerializer,
    ClaimStateSerializer,
    DiffSerializer,
    ReviewCreateSerializer,
    ReviewSerializer,
)
from .views_traces import visible_task


def _refuse(exc: services.ReviewError):
    """Turn a refused review action into its HTTP error: 403, 409 or 400."""
    if isinstance(exc, services.ReviewForbidden):
        raise PermissionDenied(str(exc)) from exc
    if isinstance(exc, services.ClaimConflict):
        return error_response(status=status.HTTP_409_CONFLICT, code="claimed", message=str(exc))
    raise ValidationError({"detail": str(exc)}, code="refused") from exc


class TaskReviews(APIView):
    """List a task's reviews (its writers and overseers), or record a verdict (overseers)."""

    @extend_schema(responses=ReviewSerializer(many=True))
    def get(self, request, pk):
        task = visible_task(request, pk)
        return Response(ReviewSerializer(reviews_of(task), many=True).data)

    @extend_schema(request=ReviewCreateSerializer, responses={
        201: ReviewSerializer, **conflict("Another reviewer holds the claim on this task.")})
    def post(self, request, pk):
        task = visible_task(request, pk)
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            review = services.review_submit(task=task, reviewer=request.user,
                                            **data.validated_data)
        except services.ReviewError as exc:
            return _refuse(exc)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class TaskClaim(APIView):
    """Show, take or release the review claim on a task."""

    @extend_schema(responses=ClaimStateSerializer)
    def get(self, request, pk):
        task = visible_task(request, pk)
        claim = claim_of(task)
        if claim is None:
            return Response({"task": task.pk, "reviewer": None, "claimed_at": None})
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=None, responses={
        201: ClaimSerializer, **conflict("Another reviewer holds the claim on this task.")})
    def post(self, request, pk):
        task = visible_task(request, pk)
        try:
            claim = services.claim_task(task=task, reviewer=request.user)
        except services.ReviewError as exc:
            return _refuse(exc)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        task = visible_task(request, pk)
        try:
            services.release_claim(task=task, reviewer=request.user)
        except services.ReviewError as exc:
            return _refuse(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskDiff(APIView):
    """Diff the task's text between two points: words for prose, lines for code."""

    @extend_schema(responses=DiffSerializer, parameters=[
        OpenApiParameter("from", OpenApiTypes.STR, description="'draft' (default) or a seq."),
        OpenApiParameter("to", OpenApiTypes.STR, description="'final' (default) or a seq."),
        OpenApiParameter("view", OpenApiTypes.STR, enum=["inline", "side"])])
    def get(self, request, pk):
        task = visible_task(request, pk)
        params = request.query_params
        try:
            diff = task_diff(task, from_=params.get("from", "draft"),
                             to=params.get("to", "final"), view=params.get("view", "inline"))
        except DiffError as exc:
            raise ValidationError({"detail": str(exc)}, code="invalid") from exc
        return Response(diff)
