"""WebSocket routes: the Yjs document rooms."""

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from django.urls import re_path

from .consumer import DocConsumer

websocket_urlpatterns = [
    re_path(r"^ws/docs/(?P<room>[0-9a-fA-F-]{32,36})/?$", DocConsumer.as_asgi()),
]

# The session middleware resolves browser users; the consumer itself handles
# ?token= and refusals, so a refusal can carry a close code and a logged reason.
websocket_application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
