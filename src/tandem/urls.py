from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tandem.access.signin import ThrottledAuthenticationForm
from tandem.api.urls import api
from tandem.core import views

admin.site.site_header = "Tandem back office"
admin.site.site_title = "Tandem back office"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/set/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/set/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("tandem.orgs.urls")),
    path("partnerships/", include("tandem.partnerships.urls")),
    path("imports/", include("tandem.achievement.urls")),
    path("analytics/", include("tandem.analytics.urls")),
    path("growth/", include("tandem.growth.urls")),
    path("impact/", include("tandem.impact.urls")),
    path("cycles/", include("tandem.inquiry.urls")),
    path("coaching/", include("tandem.coaching.urls")),
    path("learning/", include("tandem.learning.urls")),
    path("practices/", include("tandem.practices.urls")),
    path("network/", include("tandem.network.urls")),
    path("helpdesk/", include("tandem.andon.helpdesk.urls")),
    path("feed/", include("tandem.andon.feed.urls")),
    path("governance/", include("tandem.governance.urls")),
    path("audit/", include("tandem.access.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
