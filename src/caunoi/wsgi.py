import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
django_application = get_wsgi_application()

from caunoi.core.apipaths import ApiPaths  # noqa: E402 - needs the settings set up above

# The Open311 API without the middleware only browsers need (caunoi/core/apipaths.py).
application = ApiPaths(django_application)
