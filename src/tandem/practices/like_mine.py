"""Schools like mine: from a school's page, the practices tried in its similar schools (chosen by the
comparison engine, `analytics.similar`) and the network's leaders at those schools to contact.

Similar schools are chosen from public demographics alone, so naming them tells nobody anything a
state's own files do not. The practices are those the reader may see; the contacts only appear to
readers of the network's directory.
"""

from dataclasses import dataclass, field

from tandem.access.scope import Scope
from tandem.analytics.similar import Peers, similar_schools
from tandem.core import school_years
from tandem.network.models import Member
from tandem.network.visibility import sees_directory, visible_members
from tandem.orgs.models import School
from tandem.practices.models import Practice, Trial
from tandem.practices.visibility import visible_practices

SHOWN = 8


@dataclass
class Tried:
    practice: Practice
    trials: list[Trial]  # at the similar schools, nearest school first
    nearest: float  # the similarity (0–100) of the most similar school that tried it

    @property
    def schools(self) -> list[School]:
        seen: dict[int, School] = {}
        for t in self.trials:
            seen.setdefault(t.school_id, t.school)
        return list(seen.values())


@dataclass
class LikeMine:
    school: School
    peers: Peers
    practices: list[Tried] = field(default_factory=list)
    more: int = 0  # practices beyond those shown
    contacts: list[Member] = field(default_factory=list)
    sees_contacts: bool = False

    @property
    def year_label(self) -> str:
        return school_years.label(self.peers.year) if self.peers.year else ""


def like_mine(scope: Scope, school: School, shown: int = SHOWN) -> LikeMine:
    peers = similar_schools(school)
    similarity = {p.school.pk: p.similarity for p in peers.peers}
    found = LikeMine(school, peers, sees_contacts=sees_directory(scope))
    if not similarity:
        return found
    trials = (
        Trial.objects.filter(school__in=list(similarity), practice__in=visible_practices(scope).values("pk"))
        .exclude(practice__status=Practice.Status.DRAFT)
        .select_related("practice", "school__district")
    )
    by_practice: dict[int, list[Trial]] = {}
    for trial in trials:
        by_practice.setdefault(trial.practice_id, []).append(trial)
    ranked = []
    for group in by_practice.values():
        group.sort(key=lambda t: (-similarity[t.school_id], -t.school_year))
        ranked.append(Tried(group[0].practice, group, similarity[group[0].school_id]))
    # Tried at more similar schools first, then at the most similar one.
    ranked.sort(key=lambda t: (-len(t.schools), -t.nearest, t.practice.title))
    found.practices, found.more = ranked[:shown], max(0, len(ranked) - shown)
    if found.sees_contacts:
        members = visible_members(scope).filter(school__in=list(similarity), person__is_active=True)
        members = members.select_related("person", "school", "cohort")
        latest: dict[int, Member] = {}
        for m in members.order_by("person", "-cohort__school_year"):
            latest.setdefault(m.person_id, m)
        found.contacts = sorted(latest.values(), key=lambda m: (-similarity[m.school_id], m.person.full_name))[:shown]  # type: ignore[index]
    return found
