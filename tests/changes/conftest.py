"""Change control's fixtures: a second editor, and the demo's main line protected."""

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import EDITOR
from tests.conftest import _persona, _signed_in


@pytest.fixture
def second_editor(db):
    return _persona("erin", "Erin Editor", EDITOR)


@pytest.fixture
def as_second_editor(second_editor) -> Client:
    return _signed_in(second_editor)


@pytest.fixture
def main_line(sandbox) -> int:
    return sandbox.state.ivr_named("Main support line")["id"]


@pytest.fixture
def protected(as_admin, main_line) -> int:
    """The main line, protected by Alice Admin through its Protection page."""
    response = as_admin.post(
        reverse("changes:ivr_protection", args=[main_line]),
        {"reason": "Our busiest line: two people check every change."},
    )
    assert response.status_code == 303, response.content.decode()[:500]
    return main_line
