"""The practice library: effective practices written up with their evidence.

A practice starts as a draft (from a session's takeaway, say) that only its author and the
organization's leaders see; publishing it puts it in the library.
"""

from django.db import models
from django.urls import reverse

from tandem.orgs.models import Person


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the practice is and when to use it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="practices")
    # Where the draft came from, in words any reader may see ("A takeaway from a learning session on 3 Oct 2026").
    origin = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:practice", args=[self.pk])
