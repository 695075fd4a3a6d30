from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Сообщества (ПОС)"

    def ready(self):
        from pos_portal.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="pos_sqlite_unicode_case")
