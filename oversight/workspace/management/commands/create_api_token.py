"""manage.py create_api_token USERNAME: print the user's API token, creating it if needed."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

NO_SUCH_USER = "No user named '{username}'."


class Command(BaseCommand):
    help = "Print a user's API token (created on first use) on the last line of output."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        """Get or create the user's token and print its key last, for scripts to pick up."""
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(NO_SUCH_USER.format(username=username))
        token, created = Token.objects.get_or_create(user=user)
        verb = "Created" if created else "Existing"
        self.stdout.write(f"{verb} API token for {username}; send 'Authorization: Token <key>':")
        self.stdout.write(token.key)
