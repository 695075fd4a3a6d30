#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load the settings now. Django keeps going after a settings error and then fails at random, in whichever
        # system check runs first ("AppRegistryNotReady: Models aren't loaded yet"), hiding the real reason.
        settings.INSTALLED_APPS  # noqa: B018
    except (ImproperlyConfigured, ImportError) as error:
        sys.exit(f"Настройки не загружены: {error}\nДля разработки: DEBUG=1 (или make run / make check).")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
