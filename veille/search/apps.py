from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "veille.search"
    label = "search"
