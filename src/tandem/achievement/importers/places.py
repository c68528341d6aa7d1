"""Finding the schools and districts a data file names, by the numbers files use for them, and
creating the ones Tandem does not know yet (for comparisons they need not be partners)."""

from dataclasses import dataclass, field

from tandem.orgs.models import District, School

DEFAULT_GRADES = {"elementary": ("K", "5"), "middle": ("6", "8"), "high": ("9", "12"), "other": ("K", "12")}


def _is_cds(key: str, length: int) -> bool:
    return len(key) == length and key.isdigit()


@dataclass
class Places:
    """Matches numbers to schools and districts once per import, counting what it creates."""

    schools_created: int = 0
    districts_created: int = 0
    _districts: dict[str, District] = field(default_factory=dict)
    _schools: dict[str, School] = field(default_factory=dict)
    # Numbers already looked for: one not found among them is known not to exist.
    _searched: set[str] = field(default_factory=set)

    def preload(self, school_keys: list[str], district_keys: list[str]) -> None:
        """Find the schools and districts of a whole file in a few queries rather than one each."""
        keys = [k for k in school_keys if k]
        self._searched.update(f"school:{k}" for k in keys)
        for column in ("nces_id", "cds_code", "state_id"):  # the last match wins: state number first
            for school in School.objects.filter(**{f"{column}__in": keys}):
                self._schools[getattr(school, column)] = school
        keys = [k for k in district_keys if k]
        self._searched.update(f"district:{k}" for k in keys)
        for column in ("nces_id", "cds_code", "state_id"):
            for district in District.objects.filter(**{f"{column}__in": keys}):
                self._districts[getattr(district, column)] = district

    def district(self, key: str, name: str = "") -> tuple[District, bool]:
        if key in self._districts:
            return self._districts[key], False
        found = (
            (
                District.objects.filter(state_id=key).first()
                or District.objects.filter(cds_code=key).first()
                or District.objects.filter(nces_id=key).first()
            )
            if key and f"district:{key}" not in self._searched
            else None
        )
        created = found is None
        if found is None:
            found = District.objects.create(
                name=name or (f"District {key}" if key else "Unknown district"),
                state_id=key or None,
                cds_code=key if _is_cds(key, 7) else None,
            )
            self.districts_created += 1
        self._districts[key] = found
        return found, created

    def school(
        self, key: str, name: str = "", district_key: str = "", district_name: str = "", level: str = "other"
    ) -> tuple[School, bool]:
        if key in self._schools:
            return self._schools[key], False
        found = (
            (
                School.objects.filter(state_id=key).first()
                or School.objects.filter(cds_code=key).first()
                or School.objects.filter(nces_id=key).first()
            )
            if f"school:{key}" not in self._searched
            else None
        )
        created = found is None
        if found is None:
            if not district_key and _is_cds(key, 14):
                district_key = key[:7]
            district, _ = self.district(district_key, district_name)
            low, high = DEFAULT_GRADES.get(level, DEFAULT_GRADES["other"])
            found = School.objects.create(
                district=district,
                name=name or f"School {key}",
                level=level if level in DEFAULT_GRADES else "other",
                lowest_grade=low,
                highest_grade=high,
                state_id=key,
                cds_code=key if _is_cds(key, 14) else None,
            )
            self.schools_created += 1
        self._schools[key] = found
        return found, created
