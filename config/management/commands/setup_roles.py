from django.core.management.base import BaseCommand

from config.roles import EDITORS, MODERATORS, REVIEW_WORKFLOW, setup_roles


class Command(BaseCommand):
    help = (
        "Create or complete the Editors and Moderators groups and the moderation workflows. "
        "Safe to run on every deployment."
    )

    def handle(self, *args, **options):
        result = setup_roles()
        pages = result["workflow"].workflow_pages.count()
        self.stdout.write(
            f"Groups {EDITORS} and {MODERATORS} ready; '{REVIEW_WORKFLOW}' covers {pages} sections."
        )
