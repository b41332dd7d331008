"""Independent reads at once: the one thread-pool helper every layer uses.

    reads = in_parallel(number=lambda: client.get_phone_number(7), ivrs=client.list_ivrs)
    reads["number"], reads["ivrs"]

Each read runs in a copy of the caller's context (contextvars.copy_context().run), so what the
caller's context carries still holds inside it: the request id in log lines, and the open audit
change set that records every Talk API call. The answers come back by name, in the order the
reads were given; the first failure (in that order) is raised once every read has finished.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# Reads one caller runs at once: enough for a page's few reads or a list's pages, and gentle
# on the account's rate budget, which every reader shares.
PARALLEL_READS = 4


def in_parallel(**reads: Callable[[], Any]) -> dict[str, Any]:
    """Each read's answer by its name; a single read runs in the caller's own thread."""
    if len(reads) <= 1:
        return {name: read() for name, read in reads.items()}
    with ThreadPoolExecutor(max_workers=min(PARALLEL_READS, len(reads))) as pool:
        futures = {
            name: pool.submit(contextvars.copy_context().run, read) for name, read in reads.items()
        }
        return {name: future.result() for name, future in futures.items()}
