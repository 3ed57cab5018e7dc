from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "veille.api"
    label = "api"
