from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from tandem.access import audit
from tandem.core.home import build_home
from tandem.orgs.models import Person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    h = build_home(request.scope)
    return render(request, "core/home.html", {"home": h, **h.context})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and the demo script: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        audit.record(self.request.user, "person.password_change", self.request.user)
        messages.success(self.request, "Your password has been changed.")
        return response


class InviteAwarePasswordResetForm(PasswordResetForm):
    """Django's form skips people without a usable password. Invited people have none until they
    follow their invitation; if that link expires, this form is how they get a new one."""

    def get_users(self, email: str) -> Iterator[Person]:
        people = Person.objects.filter(email__iexact=email.strip(), is_active=True)
        return (p for p in people if p.has_usable_password() or p.last_login is None)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = InviteAwarePasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    post_reset_login = False

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        audit.record(form.user, "person.password_set", form.user)
        return response
