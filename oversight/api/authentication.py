"""API token authentication: knox's hashed tokens, with wrong keys throttled per address."""

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

WINDOW_SECONDS = 60
TOO_MANY_BAD_TOKENS = ("Too many wrong API tokens from your address; wait a minute and "
                       "check the key (tokens expire, and a password change revokes them).")


def _key(request) -> str:
    return f"oversight:bad-token:{request.META.get('REMOTE_ADDR', '')}"


class ThrottledTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an address sending too many wrong keys gets 429s."""

    def authenticate(self, request):
        key = _key(request)
        if cache.get(key, 0) >= settings.API_BAD_TOKEN_LIMIT:
            raise Throttled(wait=WINDOW_SECONDS, detail=TOO_MANY_BAD_TOKENS)
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            if not cache.add(key, 1, WINDOW_SECONDS):
                cache.incr(key)
            raise


class TokenScheme(OpenApiAuthenticationExtension):
    """The scheme in the OpenAPI schema: `Authorization: Token <key>`."""

    target_class = ThrottledTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization",
                                                   token_prefix="Token")
