"""WebSocket routes: the Yjs document rooms."""

from channels.auth import AuthMiddleware, get_user
from channels.routing import URLRouter
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.urls import re_path

from .consumer import DocConsumer
from .dbthread import run_admission

websocket_urlpatterns = [
    re_path(r"^ws/docs/(?P<room>[0-9a-fA-F-]{32,36})/?$", DocConsumer.as_asgi()),
]


class SessionUser(AuthMiddleware):
    """channels' AuthMiddleware, its session and user queries on the admission pool.

    Channels runs them in asgiref's one synchronous thread, where every browser
    connecting at once would queue (dbthread.py). `get_user.func` is the plain
    function under channels' database_sync_to_async (channels is pinned < 4.4).
    """

    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await run_admission(get_user.func, scope)


# The session middleware resolves browser users; the consumer itself handles
# ?token= and refusals, so a refusal can carry a close code and a logged reason.
websocket_application = CookieMiddleware(SessionMiddleware(SessionUser(URLRouter(
    websocket_urlpatterns))))
