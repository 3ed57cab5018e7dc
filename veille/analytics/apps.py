from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "veille.analytics"
    label = "analytics"
