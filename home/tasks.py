"""Background work of the whole site, run by the task worker (``manage.py run_worker``).

Scheduled publishing: Wagtail publishes the pages whose go-live time has passed (and
unpublishes expired ones) only when its ``publish_scheduled`` command runs. Here that
is a task which queues its own next run a minute later, so the worker runs it every
minute with no cron. Each worker queues the first run when it starts, unless one is
already waiting; while no worker runs, the next run waits in the queue and catches up
with every page that fell due as soon as a worker is back.

Other tasks come from Wagtail itself (search and reference index updates, CDN purges,
image focal points, file deletions) and from the newsroom (``newsroom.tasks``).
"""

import datetime
import io

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

PUBLISH_EVERY = datetime.timedelta(minutes=1)
# A run marked as running for longer than this was left behind by a worker that died.
RUNNING_AT_MOST = datetime.timedelta(minutes=10)


@task(takes_context=True)
def publish_scheduled_pages(context):
    """Publish what fell due and unpublish what expired, then queue the next run."""
    output = io.StringIO()
    try:
        call_command("publish_scheduled", stdout=output)
    finally:
        schedule_publishing(PUBLISH_EVERY, running=context.task_result.id)
    return output.getvalue()


def _waiting_runs(running=None):
    from django_tasks_db.models import DBTaskResult

    stale = timezone.now() - RUNNING_AT_MOST
    return DBTaskResult.objects.filter(
        Q(status="READY") | Q(status="RUNNING", started_at__gte=stale),
        task_path=publish_scheduled_pages.module_path,
    ).exclude(pk=running)


def schedule_publishing(delay=datetime.timedelta(0), running=None):
    """Queue a run of scheduled publishing after ``delay``, unless one is already waiting
    (besides ``running``, the id of the run asking).

    Only on the database backend, the default, which can hold a task until a given time
    and be asked what waits. Returns the queued task's result, or None.
    """
    from django_tasks_db import DatabaseBackend

    if not isinstance(publish_scheduled_pages.get_backend(), DatabaseBackend):
        return None
    with transaction.atomic():
        # One run at a time, however many workers start together. SQLite's transactions
        # take the write lock when they begin (config/settings/base.py).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7_301_515])
        if _waiting_runs(running).exists():
            return None
        run_after = timezone.now() + delay
        return publish_scheduled_pages.using(run_after=run_after).enqueue()
