import logging

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from home.tasks import schedule_publishing


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background task worker (django-tasks' database worker) and keep scheduled "
        "publishing running every minute. Run one or more beside the web servers. Prints "
        "failed tasks; -v 2 prints every task."
    )

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        if verbosity == 1:
            # Every page save queues two index updates: two lines each, at INFO.
            for name in (TASKS_LOGGER, "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)

    def handle(self, *args, **options):
        schedule_publishing()
        super().handle(*args, **options)
