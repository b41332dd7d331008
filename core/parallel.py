"""Independent reads at once: `in_parallel(name=callable, ...)`, for pages that read several
things from a phone system."""

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

PARALLEL_READS = 4  # reads one page makes at once


def in_parallel(**reads: Callable[[], Any]) -> dict[str, Any]:
    """Run independent reads at once; the first failure is raised.

    Each runs in a copy of the caller's context, so calls made inside an audit change set are
    still recorded (as the Talk client's own lookups do).
    """
    if len(reads) == 1:
        ((name, read),) = reads.items()
        return {name: read()}
    with ThreadPoolExecutor(max_workers=min(PARALLEL_READS, len(reads))) as pool:
        futures = {
            name: pool.submit(contextvars.copy_context().run, read) for name, read in reads.items()
        }
        return {name: future.result() for name, future in futures.items()}
