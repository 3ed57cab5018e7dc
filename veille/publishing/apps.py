from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "veille.publishing"
    label = "publishing"
