from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "veille.topics"
    label = "topics"
