from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district (``manage.py seed_demo``): the top layer, it seeds communities, meetings and reports."""

    name = "demo"
    verbose_name = "Демо-данные"
