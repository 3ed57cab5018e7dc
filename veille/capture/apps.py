from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "veille.capture"
    label = "capture"
