"""Every change to the practice library goes through these functions: each checks the actor's right
to make it (`visibility`), runs in one transaction, writes an audit entry and refreshes the
practice's row in the search table. A refusal is a ValidationError whose message says why; views
and the API find practices through the reader's scope first, so one the actor may not see never
reaches here.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from tandem.access import audit
from tandem.access.scope import Scope, scope_for
from tandem.achievement.models import StudentGroup
from tandem.inquiry.actions import do_link
from tandem.inquiry.models import Cycle, CycleLink
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.models import Person, School
from tandem.practices import fulltext
from tandem.practices.models import Attachment, Citation, Comment, Practice, Tag, Trial, grades_text
from tandem.practices.search import reindex
from tandem.practices.visibility import edits_library, may_edit, may_remove_trial, may_report, reads_library

MAX_ATTACHMENT = 20 << 20
MAX_TAGS = 12
# Publishing needs these written: a reader must learn what the practice is, why, and how.
TO_PUBLISH = (("summary", "a summary"), ("problem", "the problem it addresses"), ("how", "how to do it"))


def _refuse(message: str, field: str | None = None) -> None:
    raise ValidationError({field: message} if field else message)


def _reader(actor: Person) -> Scope:
    scope = scope_for(actor)
    if not reads_library(scope):
        _refuse("The practice library is not open to you.")
    return scope


def _editor(actor: Person, practice: Practice) -> Scope:
    scope = _reader(actor)
    if not may_edit(scope, practice):
        _refuse("Only the practice's author and the library's editors change it.")
    return scope


def _save(actor: Person, action: str, obj: Model) -> None:
    before = audit.stored(obj) if obj.pk else None
    obj.full_clean()
    obj.save()
    if before is None:
        audit.record_creation(actor, action, obj)
    else:
        audit.record_update(actor, action, obj, before)


def _touch(practice: Practice) -> None:
    """Its evidence changed: the practice counts as updated, and its search row is refreshed."""
    Practice.objects.filter(pk=practice.pk).update(updated_at=timezone.now())
    reindex(practice)


def tags_named(names: list[str]) -> list[Tag]:
    """The tags with these names, created when new; "Reading" and "reading" are one tag."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = " ".join(name.split())[:60]
        if clean and slugify(clean):
            wanted.setdefault(slugify(clean)[:60], clean)
    if len(wanted) > MAX_TAGS:
        _refuse(f"A practice takes at most {MAX_TAGS} tags; {len(wanted)} were given.", "tags")
    tags = []
    for slug, name in wanted.items():
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name__iexact=name).first()
        tags.append(tag or Tag.objects.create(name=name, slug=slug))
    return tags


# -- practices ------------------------------------------------------------------------------------


@transaction.atomic
def do_save_practice(actor: Person, practice: Practice, tags: list[str] | None = None) -> Practice:
    """Write a new draft, or change a practice (its author or an editor)."""
    if practice.pk:
        stored = Practice.objects.get(pk=practice.pk)
        _editor(actor, stored)
        practice.author_id, practice.status, practice.published_at = (
            stored.author_id,
            stored.status,
            stored.published_at,
        )
    else:
        _reader(actor)
        practice.author = actor
        practice.status = Practice.Status.DRAFT
    if practice.contact_id and not practice.contact.is_active:  # type: ignore[union-attr]
        _refuse(f"{practice.contact} no longer signs in to Tandem; choose someone who does.", "contact")
    for name in ("title", "summary", "problem", "how"):
        setattr(practice, name, getattr(practice, name).strip())
    if not practice.title:
        _refuse("Give the practice a title.", "title")
    _save(actor, "practice.save", practice)
    if tags is not None:
        practice.tags.set(tags_named(tags))
    reindex(practice)
    return practice


@transaction.atomic
def do_publish(actor: Person, practice: Practice, unpublish: bool = False) -> Practice:
    scope = _reader(actor)
    if not edits_library(scope):
        _refuse("Only the library's editors (the organization's leaders) publish practices.")
    if unpublish:
        if not practice.published:
            _refuse("This practice is not published.")
        practice.status, practice.published_at = Practice.Status.DRAFT, None
    else:
        if practice.published:
            _refuse("This practice is already published.")
        missing = [what for name, what in TO_PUBLISH if not getattr(practice, name).strip()]
        if missing:
            _refuse(f"Write {', '.join(missing)} before publishing.")
        practice.status, practice.published_at = Practice.Status.PUBLISHED, timezone.now()
    _save(actor, "practice.unpublish" if unpublish else "practice.publish", practice)
    return practice


@transaction.atomic
def do_delete_practice(actor: Person, practice: Practice) -> None:
    scope = _editor(actor, practice)
    if practice.published and not edits_library(scope):
        _refuse("A published practice is removed by the library's editors; ask them, or edit it.")
    audit.record(actor, "practice.delete", practice, audit.snapshot(practice))
    fulltext.remove(practice.pk)
    CycleLink.objects.filter(
        content_type__app_label="practices", content_type__model="practice", object_id=practice.pk
    ).delete()
    practice.delete()


# -- where it was tried ---------------------------------------------------------------------------


@transaction.atomic
def do_add_trial(
    actor: Person,
    practice: Practice,
    school: School,
    school_year: int,
    grades: list[str],
    groups: list[StudentGroup],
    result: str,
    story: str,
    kind: str = Trial.Kind.REPORT,
) -> Trial:
    """Record a school where the practice was tried: "we tried this" from a reader who reaches the
    school, or (by its author or an editor) a place where it started."""
    scope = _reader(actor)
    if kind == Trial.Kind.ORIGIN:
        _editor(actor, practice)
    elif not practice.published and not may_edit(scope, practice):
        _refuse("Reports of trying a practice are for published practices.")
    if not may_report(scope, school.pk):
        _refuse("You can report only for a school you work in or with.", "school")
    if result not in Trial.Result.values:
        _refuse(f"Choose a result: {', '.join(Trial.Result.labels)}.", "result")
    same = Trial.objects.filter(practice=practice, school=school, school_year=school_year, reported_by=actor, kind=kind)
    if same.exists():
        _refuse("You have already reported this school and year; remove that report to file it again.", "school")
    trial = Trial(
        practice=practice,
        kind=kind,
        school=school,
        school_year=school_year,
        grades=grades_text(grades),
        result=result,
        story=story.strip(),
        reported_by=actor,
    )
    _save(actor, "practice.trial", trial)
    trial.groups.set(groups)
    _touch(practice)
    return trial


@transaction.atomic
def do_remove_trial(actor: Person, trial: Trial) -> None:
    if not may_remove_trial(_reader(actor), trial):
        _refuse("Only the report's author and the practice's editors remove it.")
    audit.record(actor, "practice.trial.remove", trial, audit.snapshot(trial))
    practice = trial.practice
    trial.delete()
    _touch(practice)


# -- research, attachments, comments, cycles --------------------------------------------------------


@transaction.atomic
def do_add_citation(
    actor: Person, practice: Practice, reference: str, url: str = "", design: str = "", finding: str = ""
) -> Citation:
    _editor(actor, practice)
    citation = Citation(
        practice=practice,
        reference=reference.strip(),
        url=url.strip(),
        design=design or Citation.Design.OTHER,
        finding=finding.strip(),
        added_by=actor,
    )
    _save(actor, "practice.citation", citation)
    _touch(practice)
    return citation


@transaction.atomic
def do_remove_citation(actor: Person, citation: Citation) -> None:
    _editor(actor, citation.practice)
    audit.record(actor, "practice.citation.remove", citation, audit.snapshot(citation))
    citation.delete()
    _touch(citation.practice)


@transaction.atomic
def do_add_attachment(
    actor: Person, practice: Practice, title: str, url: str = "", file: UploadedFile | None = None
) -> Attachment:
    _editor(actor, practice)
    if not url and file is None:
        _refuse("An attachment is a link or a file; give one of them.")
    if file is not None and file.size and file.size > MAX_ATTACHMENT:
        _refuse(f"“{file.name}” is {file.size / (1 << 20):.1f} MB; an attachment may be at most 20 MB.", "file")
    attachment = Attachment(
        practice=practice, title=title.strip() or (file.name if file else url), url=url, added_by=actor
    )
    if file is not None:
        attachment.file = file
    _save(actor, "practice.attachment", attachment)
    _touch(practice)
    return attachment


@transaction.atomic
def do_remove_attachment(actor: Person, attachment: Attachment) -> None:
    _editor(actor, attachment.practice)
    audit.record(actor, "practice.attachment.remove", attachment, audit.snapshot(attachment))
    if attachment.file:
        attachment.file.delete(save=False)
    attachment.delete()
    _touch(attachment.practice)


@transaction.atomic
def do_comment(actor: Person, practice: Practice, body: str) -> Comment:
    _reader(actor)
    if not body.strip():
        _refuse("Write the comment.", "body")
    comment = Comment(practice=practice, author=actor, body=body.strip())
    _save(actor, "practice.comment", comment)
    _touch(practice)
    return comment


@transaction.atomic
def do_delete_comment(actor: Person, comment: Comment) -> None:
    scope = _reader(actor)
    if comment.author_id != actor.pk and not edits_library(scope):
        _refuse("Only the comment's author and the library's editors remove it.")
    audit.record(actor, "practice.comment.remove", comment, audit.snapshot(comment))
    comment.delete()
    _touch(comment.practice)


@transaction.atomic
def do_link_cycle(actor: Person, practice: Practice, cycle: Cycle, unlink: bool = False) -> None:
    """The cycle led to this practice: its goals' outcomes become part of the practice's evidence.
    The actor edits the practice and steers the cycle (inquiry's own rule for "led to" links)."""
    scope = _editor(actor, practice)
    if not visible_cycles(scope).filter(pk=cycle.pk).exists():
        _refuse("No cycle of inquiry you can open has that id.", "cycle")
    if unlink:
        links = CycleLink.objects.filter(
            cycle=cycle,
            relation=CycleLink.Relation.LED_TO,
            content_type__app_label="practices",
            content_type__model="practice",
            object_id=practice.pk,
        )
        for link in links:
            audit.record(actor, "cycle.unlink", link, audit.snapshot(link))
        links.delete()
    else:
        do_link(actor, cycle, CycleLink.Relation.LED_TO, practice)
    _touch(practice)
