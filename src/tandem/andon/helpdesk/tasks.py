"""The help desk's replies go out from the background worker, threaded by their headers."""

import logging
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

from tandem.andon.helpdesk.models import Message

logger = logging.getLogger(__name__)


@task
def send_reply(message_id: int) -> bool:
    reply = Message.objects.select_related("ticket").filter(pk=message_id, kind=Message.Kind.REPLY).first()
    if reply is None or reply.sent_at is not None:
        return False
    ticket = reply.ticket
    headers = {"Message-ID": reply.message_id, "Auto-Submitted": "no"}
    if reply.in_reply_to:
        headers["In-Reply-To"] = reply.in_reply_to
    if reply.references:
        headers["References"] = reply.references
    out = EmailMessage(
        reply.subject,
        reply.text,
        # Quoted as a display name: a name with a comma ("Lee, Pat") must not read as two addresses.
        formataddr((f"{reply.from_name} via the help desk", settings.HELPDESK_ADDRESS)),
        [ticket.requester_email],
        reply_to=[settings.HELPDESK_ADDRESS],
        headers=headers,
    )
    try:
        out.send()
    except (OSError, ValueError) as e:
        # The reply stays on the ticket, marked unsent, with why (the mail server away, or a header
        # a mail program would refuse).
        logger.warning("Reply %s not sent", reply.pk, exc_info=True)
        Message.objects.filter(pk=reply.pk).update(send_error=f"Not sent: {e}"[:300])
        return False
    Message.objects.filter(pk=reply.pk).update(sent_at=timezone.now(), send_error="")
    return True
