"""API tokens: hashed at rest, expiring and revocable (django-rest-knox), one per user.

The key is shown once, when it is created; the database keeps only its digest and its
first characters (to tell tokens apart). Changing a password revokes the user's tokens.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework.exceptions import AuthenticationFailed


def token_ttl() -> timedelta | None:
    hours = settings.API_TOKEN_TTL_HOURS
    return timedelta(hours=hours) if hours else None


def token_create(*, user) -> tuple[AuthToken, str]:
    """Replace the user's API tokens with a new one; return it and its key (shown once)."""
    with transaction.atomic():
        AuthToken.objects.filter(user=user).delete()
        return AuthToken.objects.create(user=user, expiry=token_ttl())


def tokens_revoke(*, user) -> int:
    """Revoke every API token of the user; return how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def token_of(user) -> AuthToken | None:
    """Return the user's current API token (without its key), if any."""
    return AuthToken.objects.filter(user=user).order_by("-created").first()


def user_for_key(key: str):
    """Return (user, token) for a valid, unexpired key of an active user, else (None, None)."""
    if not key:
        return None, None
    try:
        return TokenAuthentication().authenticate_credentials(key.encode("utf-8"))
    except (AuthenticationFailed, UnicodeError, ValueError):
        return None, None


BAD_KEY_WINDOW_SECONDS = 60


def _bad_key_counter(address: str) -> str:
    return f"oversight:bad-token:{address}"


def bad_keys_exceeded(address: str) -> bool:
    """Tell whether this address sent API_BAD_TOKEN_LIMIT wrong keys within the window."""
    return cache.get(_bad_key_counter(address), 0) >= settings.API_BAD_TOKEN_LIMIT


def bad_key_seen(address: str) -> None:
    """Count a wrong key from this address (the API and the editor's ?token= alike)."""
    key = _bad_key_counter(address)
    if not cache.add(key, 1, BAD_KEY_WINDOW_SECONDS):
        cache.incr(key)


def token_alive(digest: str) -> bool:
    """Tell whether the token with this digest still exists and has not expired."""
    unexpired = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(unexpired, digest=digest).exists()


def revoke_tokens_on_password_change(sender, instance, raw=False, **kwargs):
    """pre_save of the user model: a new password revokes every API token of the user."""
    if raw or instance.pk is None:
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True)
    old = stored.first()
    if old is not None and old != instance.password:
        tokens_revoke(user=instance)
