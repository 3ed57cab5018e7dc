from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "veille.core"
    label = "core"
