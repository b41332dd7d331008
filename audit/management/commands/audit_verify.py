import sys

from django.core.management.base import BaseCommand, CommandError

from audit.verify import Signatures, hash_at, verify_chain

PROGRESS_EVERY = 200_000


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and every row's signature. Prints the row count and "
        "head hash when it is intact; names the first altered, removed or reordered row, and "
        "every row TalkAdmin did not sign, and exits with status 1 when not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            metavar="POSITION:HASH",
            help="A head noted earlier (from this command's output): check that the row at "
            "POSITION still has HASH, which also catches rows removed from the end.",
        )

    def handle(self, *args, anchor: str | None, **options):
        # Every row without a valid signature is named as it is found, slice by slice.
        signatures = Signatures(named_limit=None)
        verdict = verify_chain(limit=PROGRESS_EVERY, signatures=signatures)
        checked = verdict.rows_checked
        self._name_unsigned(signatures)
        while not verdict.finished:
            if sys.stderr.isatty():
                self.stderr.write(f"Checked {checked:,} of {verdict.head_position:,} rows…")
            verdict = verify_chain(
                after_position=verdict.last_position,
                previous_hash=verdict.last_hash,
                limit=PROGRESS_EVERY,
                signatures=signatures,
            )
            checked += verdict.rows_checked
            self._name_unsigned(signatures)
        if signatures.words:
            self.stdout.write(signatures.words)
        forged = ""
        if signatures.unsigned_count:
            forged = (
                f"{signatures.unsigned_count:,} row(s) listed above lack a valid signature: "
                "TalkAdmin did not write them."
            )
        if verdict.problem is not None:
            raise CommandError(
                f"The audit log is NOT intact. {verdict.problem.message} "
                f"({checked:,} rows before it are intact.) {forged}".strip()
            )
        if forged:
            raise CommandError(f"The audit log is NOT intact. {forged}")
        if anchor:
            self._check_anchor(anchor)
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit log is intact: {checked:,} rows, head hash "
                f"{verdict.last_hash} at position {verdict.last_position}."
            )
        )

    def _name_unsigned(self, signatures: Signatures) -> None:
        for row in signatures.unsigned:
            self.stdout.write(self.style.ERROR(row.message))
        signatures.unsigned.clear()

    def _check_anchor(self, anchor: str) -> None:
        position_text, _, expected = anchor.partition(":")
        if not position_text.isdigit() or len(expected) != 64:
            raise CommandError("--anchor must look like 1234:<the 64-character hash>.")
        stored = hash_at(int(position_text))
        if stored != expected:
            found = "is missing" if stored is None else f"now has hash {stored}"
            raise CommandError(
                f"The audit log is NOT intact: row {position_text} {found}, but it had hash "
                f"{expected} when noted."
            )
