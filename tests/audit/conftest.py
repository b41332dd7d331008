"""Fixtures for the audit log's tests."""

import pytest

from audit.actor import Actor


@pytest.fixture
def ana() -> Actor:
    return Actor(
        user_id=41,
        username="ana",
        display_name="Ana Silva",
        client_address="203.0.113.9",
        user_agent="Firefox",
        request_id="req-ana-1",
    )
