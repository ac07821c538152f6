import sys
import time

from django.core.management.base import BaseCommand, CommandError

from newsroom.importer import BATCH_SIZE, Importer


class Command(BaseCommand):
    help = (
        "Import archived news items from a JSON Lines file (one item per line; '-' reads "
        "standard input). Bad lines are reported and skipped; slugs already in the newsroom "
        "are left alone, so an import can be run again safely."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .jsonl file, or - for standard input")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--max-errors-shown", type=int, default=50, help="how many bad lines to list"
        )

    def handle(self, *args, path, batch_size, max_errors_shown, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.perf_counter()

        def progress(summary):
            elapsed = time.perf_counter() - started
            rate = summary.created / elapsed if elapsed else 0
            self.stdout.write(
                f"  {summary.read} lines read, {summary.created} created, "
                f"{summary.existing} already there, {summary.bad} bad ({rate:,.0f} items/s)"
            )

        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        with stream:
            summary = Importer(batch_size=batch_size, progress=progress).run(stream)
        elapsed = time.perf_counter() - started
        for number, reason in summary.errors[:max_errors_shown]:
            self.stderr.write(f"line {number}: {reason}")
        if summary.bad > max_errors_shown:
            self.stderr.write(f"... and {summary.bad - max_errors_shown} more bad lines")
        rate = summary.created / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.created} news items in {elapsed:.1f} s ({rate:,.0f} items/s); "
                f"{summary.existing} were already there; {summary.bad} bad lines skipped."
            )
        )
