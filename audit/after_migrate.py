"""What `manage.py migrate` does for the audit log once the schema is in place (post_migrate).

Rights: migrated as the tables' owner, the site's own role gets its rights (audit.database_role).

Turning row signing on: when the log already holds rows written without a signature (a log
from before audit migration 0006), the first signed row records that signing began here, with
the key that signs and how many rows came before. From that row on every row must be signed:
an unsigned row after it was not written by TalkAdmin (audit.verify).
"""

import logging
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from audit.constants import Action, TargetType

logger = logging.getLogger(__name__)


def _head_is_unsigned() -> tuple[int, bool]:
    """(position of the chain's last row, whether it carries no signature)."""
    from audit.chain import chain_head
    from audit.models import CHAINED_MODELS

    position, _ = chain_head()
    for model in CHAINED_MODELS:
        key_ids = model._default_manager.filter(chain_position=position).values_list(
            "signing_key_id"
        )
        for (key_id,) in key_ids:
            return position, key_id is None
    return position, False


def record_signing_start() -> None:
    """Write the "Turned on audit row signing" change set if the log's last row is unsigned."""
    from audit.actor import Actor
    from audit.recording import record_event

    position, unsigned = _head_is_unsigned()
    if not unsigned:
        return
    key_id = settings.AUDIT_HMAC_KEYS.current.key_id
    record_event(
        actor=Actor.system("manage.py migrate"),
        action=Action.START_ROW_SIGNING,
        target_type=TargetType.AUDIT_LOG,
        target_id="",
        target_name="Audit log",
        summary=(
            f"Turned on audit row signing: every row from here on is signed with key "
            f"'{key_id}'. The {position:,} rows before were written without a signature."
        ),
        after={"signing_key_id": key_id, "unsigned_rows_before": position},
    )


def grant_the_sites_role(using: str) -> None:
    """After migrating as the owner (DATABASE_OWNER_URL), give the site's role (DATABASE_URL)
    exactly its rights on every table, those just created included (audit.database_role)."""
    from django.core.management import CommandError

    from audit.database_role import UnsafeRole, grant_app_role, site_role_while_migrating

    app_role = site_role_while_migrating()
    if app_role is None or connections[using].vendor != "postgresql":
        return
    try:
        grant_app_role(connections[using], app_role)
    except UnsafeRole as problem:  # said in plain words by manage.py, not as a traceback
        message = f"Migrated, but the site's role was not given its rights: {problem}"
        raise CommandError(message) from None
    logger.info("Gave the database role %s its rights on TalkAdmin's tables.", app_role)


def after_migrate(*, apps: Any = global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver of the audit app (also sent by `flush`, without `apps`)."""
    grant_the_sites_role(using)  # first: the site's role writes the row below
    try:
        change_set = apps.get_model("audit", "ChangeSet")
    except LookupError:  # `migrate <another app>` before the audit log's own tables exist
        return
    fields = {field.name for field in change_set._meta.get_fields()}
    if "signing_key_id" not in fields:
        return  # migrated back to before signing: nothing to do
    record_signing_start()
