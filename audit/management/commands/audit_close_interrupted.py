from django.core.management.base import BaseCommand

from audit.interrupted import close_interrupted_change_sets


class Command(BaseCommand):
    help = (
        "Write an 'interrupted' outcome for every change set whose worker died (no outcome "
        "after its time to finish ran out). The background worker does it every 5 minutes; "
        "safe to run at any time."
    )

    def handle(self, *args, verbosity: int, **options):
        closed = close_interrupted_change_sets()
        for change_set in closed:
            self.stdout.write(f"Change set #{change_set.pk} was interrupted: {change_set.summary}")
        if verbosity >= 1:
            self.stdout.write(f"{len(closed)} interrupted change set(s) closed.")
