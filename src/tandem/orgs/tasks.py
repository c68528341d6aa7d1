"""Background work for people: invitation emails go out from the worker, not the request."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tandem.orgs.models import Person


def set_password_url(person: Person) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.TANDEM_BASE_URL + reverse("password_reset_confirm", args=[uid, token])


@task
def send_invitation(person_id: int, invited_by_id: int | None) -> str:
    person = Person.objects.get(pk=person_id)
    inviter = Person.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    body = render_to_string(
        "orgs/invitation_email.txt",
        {"person": person, "inviter": inviter, "url": set_password_url(person), "base_url": settings.TANDEM_BASE_URL},
    )
    send_mail("You are invited to Tandem", body, None, [person.email])
    return person.email
