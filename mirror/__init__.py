"""The synced copy of the Zendesk account's Talk configuration, in TalkAdmin's database.

Pages read the copy, never Zendesk (a visit makes no Talk API call); the background worker
keeps it fresh (mirror.tasks: a full sync at worker start-up and on demand, an incremental
pass on a cadence), and every write TalkAdmin makes refreshes the copy from Zendesk's answer
at once (mirror.services.record_*). Writes still re-read the live objects they change from
Zendesk first: the copy is never the source of truth for a write.

Every difference a pass finds between what Zendesk holds and what the copy last knew is sent
as the `copy_changed` signal (mirror.signals) with its before and after, and whether it came
from a sync pass (a change made outside TalkAdmin, unless a TalkAdmin change explains it) or
from TalkAdmin's own write: drift capture only has to listen.

Layers: mirror.services import talk (the one door to Zendesk) and mirror.models; the use
cases (ivr.services, numbers.services, greetings.services) import mirror.services; pages
never import mirror (checked by import-linter).
"""
