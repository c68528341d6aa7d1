from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "tandem.inquiry"
    label = "inquiry"
    verbose_name = "Cycles of inquiry"
