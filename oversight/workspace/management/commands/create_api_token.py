"""manage.py create_api_token USERNAME: create a new API token and print its key last."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from oversight.workspace.tokens import token_create

NO_SUCH_USER = "No user named '{username}'."


class Command(BaseCommand):
    help = ("Create a new API token for a user (replacing the old one: keys are stored hashed, "
            "so an existing key cannot be shown again) and print its key on the last line.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        """Create the user's token and print its key last, for scripts to pick up."""
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(NO_SUCH_USER.format(username=username))
        token, key = token_create(user=user)
        expires = token.expiry.strftime("%Y-%m-%d %H:%M UTC") if token.expiry else "never"
        self.stdout.write(f"Created API token for {username} (expires {expires}; any older "
                          "token is revoked); send 'Authorization: Token <key>':")
        self.stdout.write(key)
