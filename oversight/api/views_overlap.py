"""Overlap over HTTP: a group of sibling tasks with its agreement, and rankings of its finals."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.overlap import selectors, services
from oversight.workspace.access import is_overseer, projects_for
from oversight.workspace.models import OverlapGroup

from .serializers_overlap import (
    GroupSerializer,
    RankingCreateSerializer,
    RankingSerializer,
    sibling_data,
)

WRITERS_REFUSED = ("Writers do not see an overlap group: each writes their sibling "
                   "independently.")
ERRORS = {403: OpenApiResponse(OpenApiTypes.OBJECT, description="A writer of the project."),
          404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such group of yours.")}


def overseen_group(request, pk: int) -> OverlapGroup:
    """Return a group of a project the user oversees; 404 for non-members, 403 for writers."""
    group = get_object_or_404(OverlapGroup.objects.select_related("project")
                              .filter(project__in=projects_for(request.user)), pk=pk)
    if not is_overseer(request.user, group.project):
        raise PermissionDenied(WRITERS_REFUSED)
    return group


def group_data(group: OverlapGroup) -> dict:
    members = selectors.siblings(group)
    return {"id": group.pk, "project": group.project.slug, "external_id": group.external_id,
            "siblings": [sibling_data(s) for s in members],
            "figures": selectors.group_figures(group, members),
            "rankings": RankingSerializer(selectors.rankings_of(group), many=True).data}


class GroupDetail(APIView):
    """Show an overlap group: its siblings' finals, their agreement and the rankings."""

    @extend_schema(responses={200: GroupSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(group_data(overseen_group(request, pk)))


class GroupRanking(APIView):
    """Rank the group's submitted finals, best first, ties allowed (replaces your ranking)."""

    @extend_schema(request=RankingCreateSerializer, responses={
        201: RankingSerializer, **ERRORS,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Not a ranking of the finals.")})
    def post(self, request, pk):
        group = overseen_group(request, pk)
        data = RankingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ranking = services.save_ranking(group=group, reviewer=request.user,
                                            **data.validated_data)
        except services.OverlapForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.OverlapError as exc:
            raise ValidationError({"detail": str(exc)}, code="refused") from exc
        return Response(RankingSerializer(ranking).data, status=status.HTTP_201_CREATED)
