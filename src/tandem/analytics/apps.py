from typing import Any

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "tandem.analytics"
    label = "analytics"

    def ready(self) -> None:
        from tandem.achievement.signals import data_imported

        data_imported.connect(_rebuild_cells, dispatch_uid="analytics.rebuild_cells")


def _rebuild_cells(sender: Any, kind: str, school_ids: set[int], **kwargs: Any) -> None:
    """New results change their schools' cells; new rosters can change anyone's groups."""
    from tandem.analytics import cells

    if kind == "results":
        cells.refresh(school_ids)
    elif kind == "roster":
        cells.refresh()
