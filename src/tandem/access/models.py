import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.access.roles import ALLOWED_SCOPES, Role, ScopeKind

SCOPE_FIELDS = [kind.value for kind in ScopeKind]


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: datetime.date | None = None) -> "RoleAssignmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )


class RoleAssignment(models.Model):
    """A person holds a role over exactly one scope: the organization, a region, a district, a school
    or a partnership."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    organization = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.CASCADE)
    region = models.ForeignKey("orgs.Region", null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey("orgs.District", null=True, blank=True, on_delete=models.CASCADE)
    school = models.ForeignKey("orgs.School", null=True, blank=True, on_delete=models.CASCADE)
    partnership = models.ForeignKey("partnerships.Partnership", null=True, blank=True, on_delete=models.CASCADE)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["person", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, region=None, district=None, school=None, partnership=None)
                    | Q(organization=None, region__isnull=False, district=None, school=None, partnership=None)
                    | Q(organization=None, region=None, district__isnull=False, school=None, partnership=None)
                    | Q(organization=None, region=None, district=None, school__isnull=False, partnership=None)
                    | Q(organization=None, region=None, district=None, school=None, partnership__isnull=False)
                ),
                name="role_has_exactly_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.scope_object}"

    @property
    def scope_kind(self) -> ScopeKind | None:
        for field in SCOPE_FIELDS:
            if getattr(self, f"{field}_id"):
                return ScopeKind(field)
        return None

    @property
    def scope_object(self) -> models.Model | None:
        kind = self.scope_kind
        return getattr(self, kind.value) if kind else None

    def clean(self) -> None:
        set_fields = [f for f in SCOPE_FIELDS if getattr(self, f"{f}_id")]
        if len(set_fields) != 1:
            raise ValidationError(
                "Choose exactly one scope: the organization, a region, a district, a school or a partnership."
            )
        kind = ScopeKind(set_fields[0])
        if self.role not in ALLOWED_SCOPES:
            raise ValidationError({"role": "Choose a role."})
        allowed = ALLOWED_SCOPES[self.role]
        if kind not in allowed:
            names = ", ".join(sorted(a.value for a in allowed))
            raise ValidationError({kind.value: f"A {self.get_role_display()} is scoped to: {names}."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A role cannot end before it starts."})


class AuditEntry(models.Model):
    """Who did what to which object, when, and which fields changed; also student-level reads."""

    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        READ = "read", "Read"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A personal API token; only its hash is stored. It acts with its owner's scope."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SignInFailure(models.Model):
    """A failed sign-in, kept for a while to slow down password guessing (`access.signin`). The
    address is kept as typed, lower-cased, whether or not anyone has it."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email} from {self.ip}"
