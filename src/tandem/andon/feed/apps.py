from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "tandem.andon.feed"
    label = "feed"
    verbose_name = "Staff feed"
