"""Signals the worker sends, for the layers above it to act on (the worker imports none of them).

task_run_lost(run_id, task_path, attempt): a task's run ended without finishing because its
worker died (or was stopped at once). Sent before the task is queued again or marked failed;
the audit log closes the change sets that run had opened (their request id is `run_id`) as
interrupted. A receiver that raises stops this recovery; it is tried again at the next one.
"""

from django.dispatch import Signal

task_run_lost = Signal()
