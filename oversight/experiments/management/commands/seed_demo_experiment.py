"""manage.py seed_demo_experiment: the demo's finished experiment (seed_demo calls it)."""

from django.core.management.base import BaseCommand

from oversight.experiments.demo import seed_demo_experiment


class Command(BaseCommand):
    help = ("Add the demo's stopped experiment (model help off vs on) to the explain project, "
            "with its tasks worked, reviewed and the report frozen. Runs once.")

    def handle(self, *args, **options):
        self.stdout.write(f"demo experiment: {seed_demo_experiment()}")
