"""API token authentication: knox's hashed tokens, with wrong keys throttled per address."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

from oversight.workspace.tokens import BAD_KEY_WINDOW_SECONDS, bad_key_seen, bad_keys_exceeded

TOO_MANY_BAD_TOKENS = ("Too many wrong API tokens from your address; wait a minute and "
                       "check the key (tokens expire, and a password change revokes them).")


class ThrottledTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an address sending too many wrong keys gets 429s."""

    def authenticate(self, request):
        address = request.META.get("REMOTE_ADDR", "")
        if bad_keys_exceeded(address):
            raise Throttled(wait=BAD_KEY_WINDOW_SECONDS, detail=TOO_MANY_BAD_TOKENS)
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            bad_key_seen(address)
            raise


class TokenScheme(OpenApiAuthenticationExtension):
    """The scheme in the OpenAPI schema: `Authorization: Token <key>`."""

    target_class = ThrottledTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization",
                                                   token_prefix="Token")
