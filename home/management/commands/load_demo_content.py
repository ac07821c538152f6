from django.core.management.base import BaseCommand

from home.demo import DemoLoader


class Command(BaseCommand):
    help = "Create or update the demo site from home/demo_content. Safe to run again."

    def handle(self, *args, **options):
        DemoLoader(stdout=self.stdout).run()
