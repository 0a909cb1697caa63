"""The app's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from oversight.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


class Boom(RuntimeError):
    pass


def boom(request):
    raise Boom("secret internals: /srv/db password=hunter2")


def suspicious(request):
    raise SuspiciousOperation("This request is malformed.")


urlpatterns = [path("boom/", boom), path("suspicious/", suspicious), *urlpatterns]
