from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.access.actions import do_issue_api_token
from tandem.orgs.models import Person


class Command(BaseCommand):
    help = "Issue an API token for a person; the token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(email__iexact=options["email"]).first()
        if person is None:
            raise CommandError(f"No person with email {options['email']}.")
        try:
            token, secret = do_issue_api_token(None, person, options["name"], options["days"])
        except ValidationError as e:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())) from e
        self.stdout.write(secret)
        self.stderr.write(f"Expires {token.expires_at:%Y-%m-%d}. Send it as 'Authorization: Bearer <token>'.")
