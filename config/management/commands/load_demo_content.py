from django.core.management.base import BaseCommand

from config.demo import DemoLoader


class Command(BaseCommand):
    help = "Create or update the demo site from site/demo_content. Safe to run again."

    def handle(self, *args, **options):
        loader = DemoLoader(stdout=self.stdout)
        loader.run()
        if options["verbosity"] >= 2:
            for stage, seconds in loader.timings.items():
                self.stdout.write(f"  {stage:<15} {seconds:7.2f} s")
