import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.actor import Actor
from core.roles import ROLES_BY_KEY
from talkadmin.accounts import create_user

PASSWORD_VARIABLE = "TALKADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create a TalkAdmin user with a role. The password is read from the "
        f"{PASSWORD_VARIABLE} environment variable, or asked for at a prompt; "
        "never from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES_BY_KEY))
        parser.add_argument("--name", default="", help="Display name, e.g. 'Ana Silva'.")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, name, email, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or self._ask_password()
        try:
            user = create_user(
                username=username,
                password=password,
                role=ROLES_BY_KEY[role],
                display_name=name,
                email=email,
                actor=Actor.system("manage.py adduser"),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.username} with the {ROLES_BY_KEY[role].name} role.")
        )

    def _ask_password(self) -> str:
        if not self.stdin_is_interactive():
            raise CommandError(
                f"No password given: set {PASSWORD_VARIABLE} or run the command in a terminal."
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return first

    @staticmethod
    def stdin_is_interactive() -> bool:
        return os.isatty(0)
