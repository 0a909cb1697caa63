"""/account/tokens/: create, regenerate and revoke your API token; a key is shown only once."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from oversight.workspace import views_tokens
from oversight.workspace.tokens import token_create
from tests.factories import make_user

URL = reverse("api-tokens")


@pytest.fixture
def user(db):
    return make_user()


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("project-list")).status_code


def test_the_page_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_top_bar_links_to_the_page(browser):
    assert f'href="{URL}"' in browser.get(reverse("home")).content.decode()


def test_without_a_token_the_page_says_so(browser):
    page = browser.get(URL).content.decode()
    assert "You have no API token." in page and "Create token" in page
    assert "Revoke token" not in page


def test_create_shows_the_key_once_and_it_works(browser, user):
    response = browser.post(URL, {"action": "create"})
    token = AuthToken.objects.get(user=user)
    key = response.content.decode().split('data-testid="new-key">')[1].split("<")[0]
    assert key.startswith(token.token_key) and api_status(key) == 200
    later = browser.get(URL).content.decode()
    assert key not in later
    assert f"starting <code>{key[:views_tokens.KEY_PREFIX_CHARS]}…" in later


def test_regenerate_replaces_the_key_and_refuses_the_old_one(browser, user):
    old = token_create(user=user)[1]
    page = browser.post(URL, {"action": "create"}).content.decode()
    new = page.split('data-testid="new-key">')[1].split("<")[0]
    assert new != old and AuthToken.objects.filter(user=user).count() == 1
    assert api_status(old) == 401 and api_status(new) == 200


def test_revoke_deletes_the_token(browser, user):
    key = token_create(user=user)[1]
    response = browser.post(URL, {"action": "revoke"}, follow=True)
    assert views_tokens.TOKEN_REVOKED in response.content.decode()
    assert not AuthToken.objects.filter(user=user).exists()
    assert api_status(key) == 401
    again = browser.post(URL, {"action": "revoke"}, follow=True)
    assert views_tokens.NO_TOKEN_TO_REVOKE in again.content.decode()


def test_posts_need_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(URL, {"action": "create"}).status_code == 403
    assert not AuthToken.objects.filter(user=user).exists()


def test_an_unknown_action_changes_nothing(browser, user):
    key = token_create(user=user)[1]
    response = browser.post(URL, {"action": "steal"}, follow=True)
    assert views_tokens.UNKNOWN_ACTION in response.content.decode()
    assert api_status(key) == 200


@pytest.mark.parametrize(("member", "shown", "hidden"), [
    ("writer1", {"token-can-edit", "token-no-export"}, {"token-can-export", "token-can-review"}),
    ("reviewer", {"token-can-review", "token-no-export"}, {"token-can-edit", "token-can-export"}),
    ("lead", {"token-can-edit", "token-can-review", "token-can-export"}, {"token-no-export"}),
])
def test_the_page_shows_each_role_what_its_token_can_do(client, team, member, shown, hidden):
    client.force_login(getattr(team, member))
    html = client.get(URL).content.decode()
    for testid in shown:
        assert f'data-testid="{testid}"' in html
    for testid in hidden:
        assert f'data-testid="{testid}"' not in html
    assert ("/api/export/" in html) is (member == "lead")
