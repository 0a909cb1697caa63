"""Recompute the writers' dashboard summaries of one project or of all of them.

For rows written behind the services' backs (bulk loads, restored dumps, a benchmark's
generated project): the services keep the summaries current on their own.
"""

from django.core.management.base import BaseCommand, CommandError

from oversight.review.writer_summary import refresh_project
from oversight.workspace.models import Project

NO_SUCH_PROJECT = "No project with slug {slug!r}."
DONE = "Summarised {writers} writers in {projects} projects."


class Command(BaseCommand):
    help = "Recompute the writers' dashboard summaries (of --project, else of every project)."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="Slug of the project (default: every project).")

    def handle(self, *args, **options):
        projects = Project.objects.order_by("id")
        if options["project"]:
            projects = projects.filter(slug=options["project"])
            if not projects.exists():
                raise CommandError(NO_SUCH_PROJECT.format(slug=options["project"]))
        writers = count = 0
        for project in projects:
            writers += refresh_project(project)
            count += 1
        self.stdout.write(DONE.format(writers=writers, projects=count))
