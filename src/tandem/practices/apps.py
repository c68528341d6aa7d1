from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "tandem.practices"
    verbose_name = "Practice library"
