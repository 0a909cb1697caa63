
import pytest

from oversight.webhooks.events import EVENTS
from oversight.webhooks.models import Webhook
from oversight.webhooks.services import webhook_create
from tests.loopback import serving
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver()
    with serving(server):
        yield server


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    """Loopback receivers are allowed (as WEBHOOKS_ALLOW_PRIVATE=true does); stalls end fast."""
    settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_PRIVATE": True, "TIMEOUT_SECONDS": 0.5}
    settings.PUBLIC_BASE_URL = "https://oversight.example"
    return settings


@pytest.fixture
def hook(team, receiver) -> Webhook:
    return webhook_create(project=team.project, user=team.lead, url=receiver.url(),
                          events=list(EVENTS), secret=receiver.secret)
