from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "tandem.partnerships"
    label = "partnerships"
