"""Who closed a draft: what the editor says instead of "someone".

Publishing or discarding a draft notes who did it (ClosedDraft), so a page still showing it
hears "Alice Admin published it at 09:05".
"""

from django.utils import timezone

from audit.actor import Actor
from ivr.models import ClosedDraft
from ivr.services.errors import DraftGone


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


def draft_gone(ivr_id: int, *, reader_id: int | None = None) -> DraftGone:
    """The refusal for a draft that no longer exists, naming who published or discarded it."""
    closed = ClosedDraft.objects.filter(ivr_id=ivr_id).first()
    if closed is None:
        return DraftGone()
    name = "you (in another window)" if closed.closed_by_id == reader_id else closed.closed_by_name
    return DraftGone(closed_by=name, closed_at=closed.closed_at, published=closed.published)
