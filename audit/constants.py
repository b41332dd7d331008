"""The audit log's vocabulary: what was done (action), to what (target type), and how it ended."""

from django.db import models


class Action(models.TextChoices):
    """One admin intent. Services pass one of these to `audit.change_set`."""

    PUBLISH_IVR = "publish_ivr", "Published IVR changes"
    REVERT_IVR = "revert_ivr", "Reverted an IVR"
    IMPORT_IVR = "import_ivr", "Imported an IVR"
    CREATE_IVR = "create_ivr", "Created an IVR"
    DELETE_IVR = "delete_ivr", "Deleted an IVR"
    ASSIGN_IVR = "assign_ivr", "Changed which phone numbers use an IVR"
    SETTLE_LOST_ANSWERS = "settle_lost_answers", "Checked IVR changes whose answer was lost"
    RELEASE_PUBLISH_CLAIM = "release_publish_claim", "Released a stuck IVR publish"
    UPDATE_PHONE_NUMBER = "update_phone_number", "Changed phone number settings"
    PROVISION_PHONE_NUMBER = "provision_phone_number", "Got a new phone number"
    RELEASE_PHONE_NUMBER = "release_phone_number", "Released a phone number"
    CREATE_GREETING = "create_greeting", "Created a greeting"
    UPLOAD_GREETING = "upload_greeting", "Uploaded a greeting's recording"
    RENAME_GREETING = "rename_greeting", "Renamed a greeting"
    DELETE_GREETING = "delete_greeting", "Deleted a greeting"
    CHANGE_GREETING_SCRIPT = "change_greeting_script", "Changed a greeting's words"
    ADD_USER = "add_user", "Added a user"
    CHANGE_ROLE = "change_role", "Changed a user's role"
    DEACTIVATE_USER = "deactivate_user", "Deactivated a user"
    REACTIVATE_USER = "reactivate_user", "Reactivated a user"
    EXPORT_AUDIT_LOG = "export_audit_log", "Exported the audit log"
    SIGN_IN_THROTTLED = "sign_in_throttled", "Sign-in attempts throttled"
    START_ROW_SIGNING = "start_row_signing", "Turned on audit row signing"
    # Change control (changes/): protected lines and approval by a second person.
    PROTECT_LINE = "protect_line", "Protected a line"
    UNPROTECT_LINE = "unprotect_line", "Removed a line's protection"
    ASK_APPROVAL = "ask_approval", "Asked for approval of a change"
    APPROVE_CHANGE = "approve_change", "Approved a change"
    DECLINE_CHANGE = "decline_change", "Declined a change"
    WITHDRAW_APPROVAL = "withdraw_approval", "Withdrew a request for approval"
    VOID_APPROVAL = "void_approval", "A request for approval was voided"
    SCHEDULE_CHANGE = "schedule_change", "Scheduled a change"
    CANCEL_SCHEDULED_CHANGE = "cancel_scheduled_change", "Cancelled a scheduled change"
    CHANGE_BACK_NEEDS_ATTENTION = (
        "change_back_needs_attention",
        "A change back left parts as they were: needs attention",
    )


# Changes to a live line that need an approval while the line is protected: the audit list's
# filter "changes without approval on protected lines" looks for these.
LIVE_CHANGE_ACTIONS = (Action.PUBLISH_IVR, Action.REVERT_IVR)


class TargetType(models.TextChoices):
    IVR = "ivr", "IVR"
    PHONE_NUMBER = "phone_number", "Phone number"
    GREETING = "greeting", "Greeting"
    USER = "user", "User"
    AUDIT_LOG = "audit_log", "Audit log"


class Outcome(models.TextChoices):
    """How a change set ended, as written in its outcome row."""

    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"
    PARTLY_APPLIED = "partly_applied", "Partly applied"
    INTERRUPTED = "interrupted", "Interrupted"


# Not an outcome row: a change set with no outcome yet whose time to finish has not run out.
IN_PROGRESS = "in_progress"
IN_PROGRESS_LABEL = "In progress"
