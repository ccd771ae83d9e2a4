from django.apps import AppConfig


class PixConfig(AppConfig):
    name = "pix"
