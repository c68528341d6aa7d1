from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tandem.access"
    label = "access"

    def ready(self) -> None:
        # Connects the sign-in signal receivers (failures counted, sign-ins audited).
        from tandem.access import signin  # noqa: F401
