"""The client's enums are the document's, every situation has words, and the saved copy of the
document is the document."""

import json

import pytest

from dialpad.resources import TARGET_LABELS, UPLOAD_TARGET_TYPES, SelectOption, TargetType
from dialpad.situations import Group, IvrType, describe, situations
from tests.dialpad.documented import SAVED, assign_document, document_path, from_document, operation


def test_the_saved_copy_is_the_document():
    path = document_path()
    if path is None:
        pytest.skip("shared/talk-api/ is not beside this checkout")
    assert json.loads(SAVED.read_text()) == from_document(path.read_text())


def test_the_enums_are_exactly_the_documents():
    document = assign_document()
    assert {t.value for t in IvrType} == set(document["ivr_types"])
    assert len(IvrType) == len(document["ivr_types"]) == 67
    assert {t.value for t in TargetType} == set(document["target_types"])
    assert {o.value for o in SelectOption} == set(document["select_options"])
    upload = operation("POST", "/api/v2/customivrs")["request"]["fields"]["target_type"]["enum"]
    assert {t.value for t in UPLOAD_TARGET_TYPES} == set(upload)
    assert set(TARGET_LABELS) == set(TargetType)


def test_every_situation_has_words_and_a_group_and_is_listed_once():
    listed = situations()
    assert [s.ivr_type for s in listed].count(IvrType.CLOSED) == 1
    assert {s.ivr_type for s in listed} == set(IvrType)
    assert len({s.words for s in listed}) == len(listed)  # no two read the same
    groups = [s.group for s in listed]
    assert groups == sorted(groups, key=list(Group).index)  # grouped in order
    positions = [s.words for s in listed if s.group is Group.POSITION]
    assert positions[:3] == [
        "Announcing place 0 in the queue",
        "Announcing place 1 in the queue",
        "Announcing place 2 in the queue",
    ]
    assert positions[-1] == "Announcing a place past 10 in the queue"
    escapes = [s.words for s in listed if s.group is Group.ESCAPE]
    assert escapes[-2:] == [
        "Offering voicemail: press * to leave a message",
        "Offering voicemail: press # to leave a message",
    ]


def test_only_what_dialpads_types_page_describes_is_marked_documented():
    documented = {s.ivr_type for s in situations() if s.documented}
    assert IvrType.CLOSED in documented and IvrType.CSAT_PREAMBLE in documented
    assert IvrType.HOLD_MUSIC not in documented  # worded from its name
    assert describe("CLOSED").words == "When closed: the voicemail greeting"
    with pytest.raises(ValueError):
        describe("HOLD_ME")
