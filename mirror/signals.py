"""copy_changed(differences, source): the copy changed.

differences: a list of mirror.services.store.Difference (kind, zendesk_id, name, before, after;
before None: added; after None: deleted). source: "sync" when a sync pass found it in Zendesk,
"first-sync" when the copy held none of that kind yet (nothing changed: it was only learnt),
"talkadmin" when TalkAdmin's own write made it (*Sync now* re-reads are "sync").
Sent after the transaction that saved the copy has committed.
"""

from django.dispatch import Signal

copy_changed = Signal()
