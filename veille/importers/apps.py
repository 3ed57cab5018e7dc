from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "veille.importers"
    label = "importers"
