from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "tandem.impact"
    label = "impact"
    verbose_name = "Impact evaluation"
