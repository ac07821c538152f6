import sys

from django.core.management.base import BaseCommand, CommandError

from newsroom.generator import write_jsonl


class Command(BaseCommand):
    help = (
        "Write N generated news items as JSON Lines for benchmarks and tests. Titles start "
        "with [Generated] and slugs with generated-, so they are never mistaken for real news."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--output", "-o", default="-", help="file to write; - for stdout")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--language", default="en")

    def handle(self, *args, count, output, seed, language, **options):
        if count < 0:
            raise CommandError("The count cannot be negative.")
        try:
            if output == "-":
                write_jsonl(sys.stdout, count, seed=seed, language=language)
            else:
                with open(output, "w", encoding="utf-8") as stream:
                    write_jsonl(stream, count, seed=seed, language=language)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if output != "-":
            self.stderr.write(f"Wrote {count} generated news items to {output}.")
