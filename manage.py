#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alignment.settings")
    # manage.py is the developer's tool: development mode unless DEBUG says otherwise.
    # The servers (wsgi.py, asgi.py, celery.py) keep the production default, DEBUG off.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
