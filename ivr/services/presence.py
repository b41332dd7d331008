"""Who else has a draft open, and who closed it: what the editor says instead of "someone".

An open draft page polls (ivr.web.views.editor.draft_status) and each poll notes its reader
(DraftViewer); one not seen for PRESENT_FOR is gone. Publishing or discarding a draft notes who
did it (ClosedDraft), so a page still showing it hears "Alice Admin published it at 09:05".
"""

from datetime import timedelta

from django.utils import timezone

from audit.actor import Actor
from ivr.models import ClosedDraft, DraftViewer
from ivr.services.errors import DraftGone

# A page polls every 15 seconds; missing three polls means it was closed.
PRESENT_FOR = timedelta(seconds=45)


def note_closed(*, ivr_id: int, actor: Actor, published: bool) -> None:
    ClosedDraft.objects.update_or_create(
        ivr_id=ivr_id,
        defaults={
            "closed_by_id": actor.user_id,
            "closed_by_name": actor.display_name,
            "closed_at": timezone.now(),
            "published": published,
        },
    )
    DraftViewer.objects.filter(ivr_id=ivr_id).delete()


def draft_gone(ivr_id: int, *, reader_id: int | None = None) -> DraftGone:
    """The refusal for a draft that no longer exists, naming who published or discarded it."""
    closed = ClosedDraft.objects.filter(ivr_id=ivr_id).first()
    if closed is None:
        return DraftGone()
    name = "you (in another window)" if closed.closed_by_id == reader_id else closed.closed_by_name
    return DraftGone(closed_by=name, closed_at=closed.closed_at, published=closed.published)


def note_viewer(*, ivr_id: int, user_id: int) -> None:
    DraftViewer.objects.update_or_create(
        ivr_id=ivr_id, user_id=user_id, defaults={"seen_at": timezone.now()}
    )


def other_viewers(*, ivr_id: int, user_id: int) -> list[str]:
    """The names of the others with this draft's page open now."""
    since = timezone.now() - PRESENT_FOR
    viewers = (
        DraftViewer.objects.filter(ivr_id=ivr_id, seen_at__gte=since)
        .exclude(user_id=user_id)
        .select_related("user")
        .order_by("seen_at")
    )
    return [viewer.user.get_full_name() or viewer.user.get_username() for viewer in viewers]
