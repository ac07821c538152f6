"""`make run`'s set-up, run in the Makefile's order on an empty database, leaves every
language's newsroom on the two-step review.

The order is read from the Makefile's ``setup`` recipe, so moving ``setup_roles`` back
before ``load_demo_content`` makes this test fail: the roles would then be set up while
there is no newsroom yet, and the newsrooms created afterwards would fall back to the
one-step approval assigned to the root page.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from config.roles import EDITORIAL_REVIEW, PUBLICATION_APPROVAL, REVIEW_WORKFLOW
from newsroom.models import NewsIndexPage

MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"
# Not about roles or content: one writes .mo files into the checkout, one creates a login.
IRRELEVANT = {"compile_translations", "ensure_admin"}


def setup_commands(makefile=MAKEFILE):
    """The manage.py commands of the Makefile's ``setup`` recipe, in order."""
    recipe = re.search(r"^setup:.*\n((?:\t.*\n)+)", makefile.read_text(), re.MULTILINE)
    assert recipe, f"no setup recipe in {makefile}"
    return re.findall(r"manage\.py\s+(\w+)", recipe.group(1))


def test_the_setup_recipe_loads_the_content_before_setting_up_the_roles():
    commands = setup_commands()
    assert {"migrate", "load_demo_content", "setup_roles"} <= set(commands), commands
    assert commands.index("load_demo_content") < commands.index("setup_roles"), commands


@pytest.mark.django_db(transaction=True)
def test_the_setup_on_an_empty_database_gives_every_newsroom_the_two_step_review(settings):
    # One translation is enough to show that every language's newsroom is covered.
    settings.DEMO_LANGUAGES = ["fr"]
    assert not NewsIndexPage.objects.exists(), "the database should start without the demo"

    for command in setup_commands():
        if command == "migrate":
            call_command(command, interactive=False, verbosity=0)
        elif command not in IRRELEVANT:
            call_command(command, stdout=StringIO())

    newsrooms = list(NewsIndexPage.objects.select_related("locale"))
    locales = set(Locale.objects.values_list("language_code", flat=True))
    assert len(locales) >= 2, locales
    assert {newsroom.locale.language_code for newsroom in newsrooms} == locales
    for newsroom in newsrooms:
        workflow = newsroom.get_workflow()
        assert workflow is not None, newsroom.locale.language_code
        tasks = [task.name for task in workflow.tasks]
        assert (workflow.name, tasks) == (
            REVIEW_WORKFLOW,
            [EDITORIAL_REVIEW, PUBLICATION_APPROVAL],
        ), newsroom.locale.language_code
