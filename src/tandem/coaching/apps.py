from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "tandem.coaching"
    label = "coaching"
    verbose_name = "Coaching"
