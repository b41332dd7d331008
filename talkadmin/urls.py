from django.contrib.auth import views as auth_views
from django.urls import include, path

from talkadmin import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("ivrs/", include("ivr.web.urls")),
    path("numbers/", include("numbers.web.urls")),
    path("greetings/", include("greetings.web.urls")),
    path("audit/", include("audit.urls")),
    path("users/", include("talkadmin.users.urls")),
    path("changes/", include("changes.web.urls")),
]

handler403 = "talkadmin.views.permission_denied"
