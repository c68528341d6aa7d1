from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "tandem.orgs"
    label = "orgs"
