from django.db import migrations


class Migration(migrations.Migration):
    """An index of the pages that are not live, for the search's exact result counts."""

    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX search_page_not_live ON wagtailcore_page (id) WHERE NOT live",
            "DROP INDEX search_page_not_live",
        ),
    ]
