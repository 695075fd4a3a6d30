from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pos_portal import landing, password_reset, two_factor

auth_patterns = [
    path("login/", landing.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # The optional second factor (TOTP) of methodists and administrators.
    path("two-factor/", two_factor.two_factor, name="two_factor"),
    path("two-factor/start/", two_factor.two_factor_start, name="two_factor_start"),
    path("two-factor/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(auth_patterns)),
    path("", include("communities.urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("reports.home_urls")),
    path("", include("notifications.urls")),
]

if settings.DEBUG:  # development only; in production media go through permission-checked views
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
