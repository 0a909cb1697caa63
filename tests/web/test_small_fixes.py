"""Small things a demanding user notices: the login form, the favicon, the empty notes text."""

from django.urls import reverse

from tests.factories import make_user


def test_a_failed_login_keeps_the_username_and_focuses_the_password(db, client):
    make_user("someone")
    page = client.post(reverse("login"), {"username": "someone", "password": "wrong"})
    html = page.content.decode()
    assert page.status_code == 200 and "didn't match" in html
    assert 'value="someone"' in html
    assert 'name="password" autocomplete="current-password" autofocus' in html


def test_every_page_has_a_favicon(db, client):
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()


def test_an_unreachable_provider_says_which_setting_to_fix():
    from oversight.workspace.providers import UNREACHABLE

    assert "DRAFT_PROVIDER_BASE_URL" in UNREACHABLE
