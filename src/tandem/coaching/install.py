"""Installing the shipped frameworks (see shipped.py) as version 1 of each."""

from typing import Any

from tandem.coaching import shipped


def install(apps: Any) -> None:
    Framework = apps.get_model("coaching", "Framework")
    Version = apps.get_model("coaching", "FrameworkVersion")
    Domain = apps.get_model("coaching", "Domain")
    Competency = apps.get_model("coaching", "Competency")
    for spec in shipped.FRAMEWORKS:
        if Framework.objects.filter(name=spec["name"]).exists():
            continue
        framework = Framework.objects.create(
            name=spec["name"], audience=spec["audience"], description=spec["description"], built_in=True
        )
        version = Version.objects.create(framework=framework, number=1, levels=list(shipped.LEVELS))
        for d, domain_spec in enumerate(spec["domains"], start=1):
            domain = Domain.objects.create(version=version, position=d, name=domain_spec["name"])
            Competency.objects.bulk_create(
                Competency(
                    domain=domain,
                    position=c,
                    code=comp["code"],
                    name=comp["name"],
                    description=comp["description"],
                    descriptors=list(comp["descriptors"]),
                )
                for c, comp in enumerate(domain_spec["competencies"], start=1)
            )
