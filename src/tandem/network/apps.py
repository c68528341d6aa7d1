from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "tandem.network"
    verbose_name = "Leadership network"
