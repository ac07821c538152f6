"""Copies of the whole test database, taken once and put back in a fraction of a second.

The demo content takes a minute or more to build through Wagtail and wagtail-localize.
The suite builds it once per session, copies every table into a snapshot beside the
live tables (prefixed tables on SQLite, a schema of their own on PostgreSQL) and
restores that copy for each test that is about the demo. Restoring is plain
``DELETE`` and ``INSERT ... SELECT`` in one transaction, so a test inside
pytest-django's rolled-back transaction leaves the database as it found it, and a
browser test (whose database is emptied after it) starts from the same state.
"""

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


def _quote(name):
    return connection.ops.quote_name(name)


def model_tables():
    """The tables of every installed model, as Django's flush sees them."""
    return sorted(connection.introspection.django_table_names(only_existing=True))


def full_text_tables():
    """SQLite's full-text tables, which triggers on the search index's entries fill."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
        return sorted(row[0] for row in cursor.fetchall())


class Snapshot:
    """A named copy of every model table of the default database."""

    def __init__(self, name):
        self.name = name
        self.tables = []

    def _copy_of(self, table):
        if connection.vendor == "postgresql":
            return f"{_quote(f'snapshot_{self.name}')}.{_quote(table)}"
        return _quote(f"snapshot_{self.name}__{table}")

    def take(self):
        # The full-text tables are left to their triggers: copying them as well would
        # give every entry twice.
        self.tables = [table for table in model_tables() if table not in full_text_tables()]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema = _quote(f"snapshot_{self.name}")
                cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                cursor.execute(f"CREATE SCHEMA {schema}")
            for table in self.tables:
                copy = self._copy_of(table)
                if connection.vendor != "postgresql":
                    cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {_quote(table)}")
        return self

    def restore(self):
        """Make the database's content exactly the snapshot's, in one transaction."""
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Every table in one TRUNCATE: PostgreSQL refuses to truncate a table
                # that another table's foreign key points to, unless both go.
                names = ", ".join(_quote(table) for table in self.tables)
                cursor.execute(f"TRUNCATE {names}")
            else:
                for table in full_text_tables() + self.tables:
                    cursor.execute(f"DELETE FROM {_quote(table)}")
            for table in self.tables:
                cursor.execute(f"INSERT INTO {_quote(table)} SELECT * FROM {self._copy_of(table)}")
            if connection.vendor == "postgresql":
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)


def module_data(build):
    """A module-scoped fixture: ``build()`` once, in a transaction rolled back after the module.

    Each test of the module then runs in a savepoint of that transaction (as with Django's
    ``setUpTestData``), so it sees the data as built whatever the tests before it changed.
    A module using it must not ask for the demo: see ``demo_snapshot``.
    """

    @pytest.fixture(scope="module")
    def built_once(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                data = build()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        yield data
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    return built_once
