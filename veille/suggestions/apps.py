from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "veille.suggestions"
    label = "suggestions"
