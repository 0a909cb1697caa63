"""Accounts and transport: hashed expiring tokens revoked on password change, throttled
logins and bad tokens, Django's password validators, CSP, and the HTTPS switch."""

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from oversight.api.authentication import TOO_MANY_BAD_TOKENS
from oversight.workspace.tokens import token_create
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def api_status(key: str, client: APIClient | None = None) -> int:
    client = client or APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("project-list")).status_code


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_tokens_are_stored_hashed_and_expire(db):
    user = make_user()
    token, key = token_create(user=user)
    assert key not in token.digest and len(token.digest) == 128
    assert not AuthToken.objects.filter(digest__contains=key).exists()
    assert api_status(key) == 200
    assert timezone.now() + dt.timedelta(days=29) < token.expiry
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert api_status(key) == 401


def test_a_password_change_revokes_the_users_tokens(db):
    user, other = make_user(), make_user()
    _, key = token_create(user=user)
    _, other_key = token_create(user=other)
    user.first_name = "Ann"
    user.save()  # not a password change
    assert api_status(key) == 200
    user.set_password("a-new-long-secret-9")
    user.save()
    assert api_status(key) == 401 and api_status(other_key) == 200


def test_wrong_tokens_are_throttled_per_address(db, settings):
    settings.API_BAD_TOKEN_LIMIT = 3
    user = make_user()
    _, key = token_create(user=user)
    for _ in range(3):
        assert api_status("0" * 64) == 401
    refused = APIClient()
    refused.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = refused.get(reverse("project-list"))
    assert response.status_code == 429
    assert response.json()["error"]["message"].startswith(TOO_MANY_BAD_TOKENS)
    assert response["Retry-After"] == "60"
    elsewhere = APIClient(REMOTE_ADDR="10.0.0.7")
    assert api_status(key, elsewhere) == 200


def test_forty_wrong_passwords_lock_the_login_even_for_the_right_one(db, client):
    make_user("ann", password="the-right-password-1")
    for _ in range(40):
        client.post(reverse("login"), {"username": "ann", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "ann",
                                              "password": "the-right-password-1"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_then_the_right_one_logs_in(db, client):
    make_user("bea", password="the-right-password-1")
    for _ in range(3):
        assert client.post(reverse("login"), {"username": "bea", "password": "x"}).status_code \
            == 200
    response = client.post(reverse("login"), {"username": "bea",
                                              "password": "the-right-password-1"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize("password", ["12345678", "password", "qwertyuiop", "short"])
def test_djangos_standard_password_validators_refuse_weak_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_user_attribute_validator_is_on(db):
    user = make_user("margaret.hamilton")
    with pytest.raises(ValidationError):
        validate_password("margaret.hamilton1", user=user)
    validate_password("correct horse battery staple", user=user)


def test_pages_carry_a_content_security_policy(client, db):
    client.force_login(make_user())
    for url in (reverse("home"), reverse("api-docs"), reverse("login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def _settings_with(env: dict) -> dict:
    """Import the settings in a fresh interpreter with `env`, as a deployment would."""
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k, None) for k in ('SESSION_COOKIE_SECURE', "
            "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
            "'SECURE_PROXY_SSL_HEADER')}))")
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oversight.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, check=True,
                         capture_output=True, text=True, timeout=60)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_https_switch_turns_on_secure_cookies_hsts_and_the_redirect():
    on = _settings_with({"HTTPS": "true", "DEBUG": "false", "SECRET_KEY": "x" * 60})
    assert on == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                  "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
                  "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}
    off = _settings_with({"HTTPS": "false"})
    assert off["SESSION_COOKIE_SECURE"] is False and off["SECURE_HSTS_SECONDS"] == 0


def test_check_deploy_finds_no_cookie_hsts_or_redirect_warning_behind_https(tmp_path):
    env = {**os.environ, "HTTPS": "true", "DEBUG": "false",
           "SECRET_KEY": secrets.token_urlsafe(50), "OVERSIGHT_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    report = out.stdout + out.stderr
    # HSTS for subdomains and preloading are a deployment's own choice (HSTS_INCLUDE_SUBDOMAINS).
    warnings = set(re.findall(r"\((security\.W\d+)\)", report)) - {"security.W005",
                                                                  "security.W021"}
    assert out.returncode == 0 and not warnings, report
    assert "drf_spectacular.W001" not in report, report
    plain = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT,
                           env={**env, "HTTPS": "false"}, capture_output=True, text=True,
                           timeout=120)
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= set(
        re.findall(r"\((security\.W\d+)\)", plain.stdout + plain.stderr))


def test_under_https_plain_http_redirects_and_cookies_are_secure(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 3600
    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    proxied = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=3600"
    assert proxied.cookies["csrftoken"]["secure"]
