import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.actor import Actor
from core.roles import ADMIN, EDITOR, VIEWER
from talkadmin.accounts import create_user

DEMO_ACCOUNTS = (
    ("demo-admin", "Ada Admin", ADMIN),
    ("demo-editor", "Eddie Editor", EDITOR),
    ("demo-viewer", "Vera Viewer", VIEWER),
)
ACCOUNTS_FILE = settings.VAR_DIR / "demo-accounts.txt"


class Command(BaseCommand):
    help = (
        "Sandbox mode only: create one demo account per role on first run and print the "
        "passwords (kept in var/demo-accounts.txt). Refuses when a real Zendesk is configured."
    )

    def handle(self, *args, **options):
        if not settings.TALK_SANDBOX or settings.TALK_SUBDOMAIN:
            raise CommandError(
                "Demo accounts are only created with the local Talk sandbox, never with real "
                "Zendesk credentials. Use `manage.py adduser` instead."
            )
        users = get_user_model().objects
        if users.filter(username__in=[name for name, _, _ in DEMO_ACCOUNTS]).exists():
            self.stdout.write(
                f"Demo accounts exist already; their passwords are in {ACCOUNTS_FILE}."
            )
            return
        lines = []
        for username, display_name, role in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            create_user(
                username=username,
                password=password,
                role=role,
                display_name=display_name,
                actor=Actor.system("make run (demo accounts)"),
            )
            lines.append(f"{role.name:<7} username: {username:<12} password: {password}")
        ACCOUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        ACCOUNTS_FILE.write_text("\n".join(lines) + "\n")
        ACCOUNTS_FILE.chmod(0o600)
        self.stdout.write("Demo accounts created (also saved in var/demo-accounts.txt):")
        for line in lines:
            self.stdout.write(f"  {line}")
