from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "tandem.andon.helpdesk"
    label = "helpdesk"
    verbose_name = "Help desk"
