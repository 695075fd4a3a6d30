"""Where a user lands after signing in: the Department in its admin, everyone else on the portal's home
(``LOGIN_REDIRECT_URL``). A ``next`` address, when given and safe, still wins."""

from django.contrib.auth import views as auth_views
from django.urls import reverse

from pos_portal.roles import is_department


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self):
        if is_department(self.request.user):
            return reverse("admin:index")
        return super().get_default_redirect_url()
