from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "veille.federation"
    label = "federation"
