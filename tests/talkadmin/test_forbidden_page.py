import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from core.access import RoleRequired, require_role
from core.roles import EDITOR
from talkadmin import urls as talkadmin_urls

pytestmark = pytest.mark.django_db


@require_role(EDITOR)
def _editors_only(request):
    return HttpResponse("changed")


urlpatterns = [path("editors-only/", _editors_only), *talkadmin_urls.urlpatterns]
handler403 = "talkadmin.views.permission_denied"


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def test_a_viewer_is_told_which_role_is_needed(as_viewer):
    response = as_viewer.post("/editors-only/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "This needs the Editor role; you have the Viewer role." in text
    assert "Ask a TalkAdmin admin to change your role" in text


def test_a_user_without_a_role_is_told_so(as_outsider):
    response = as_outsider.post("/editors-only/")
    assert response.status_code == 403
    assert "This needs the Editor role, and you have no role yet." in response.content.decode()


def test_the_right_role_passes(as_editor, as_admin):
    assert as_editor.post("/editors-only/").content == b"changed"
    assert as_admin.post("/editors-only/").content == b"changed"


def test_the_check_runs_on_the_server_not_in_the_template(viewer):
    request = RequestFactory().post("/editors-only/")
    request.user = viewer
    with pytest.raises(RoleRequired) as raised:
        _editors_only(request)
    assert raised.value.role == EDITOR
