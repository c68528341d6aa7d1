from django.apps import AppConfig


class AchievementConfig(AppConfig):
    name = "tandem.achievement"
    label = "achievement"
