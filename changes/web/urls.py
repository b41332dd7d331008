"""Change control's pages under /changes/ (the "changes" namespace)."""

from django.urls import path

from changes.web import schedule_views, views

app_name = "changes"

request = "approvals/<int:request_id>/"

urlpatterns = [
    path("approvals/", views.approval_list, name="approvals"),
    path(request, views.approval_detail, name="approval"),
    path(f"{request}approve/", views.approve, name="approve"),
    path(f"{request}decline/", views.decline, name="decline"),
    path(f"{request}withdraw/", views.withdraw, name="withdraw"),
    path("ivrs/<int:ivr_id>/ask/", views.ask_for_approval, name="ask"),
    path("ivrs/<int:ivr_id>/protection/", views.ivr_protection, name="ivr_protection"),
    path("ivrs/<int:ivr_id>/schedule/", schedule_views.schedule, name="schedule"),
    path("upcoming/", schedule_views.upcoming, name="upcoming"),
    path("upcoming/<int:change_id>/cancel/", schedule_views.cancel, name="cancel"),
]
