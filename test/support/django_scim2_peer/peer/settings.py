"""A Django project whose only job is to serve django-scim2 (PyPI) as a SCIM peer for the tests.

Everything about the running instance comes from the environment: the database file, the port
it is reached on and the bearer token it accepts. Nothing listens beyond 127.0.0.1.
"""

import os
import secrets

SECRET_KEY = secrets.token_hex(32)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django_scim", "peer"]
MIDDLEWARE = ["peer.auth.BearerToken", "django_scim.middleware.SCIMAuthCheckMiddleware"]
ROOT_URLCONF = "peer.urls"
AUTH_USER_MODEL = "peer.User"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PEER_DB"]}}
LOGGING = {"version": 1, "disable_existing_loggers": True}

SCIM_SERVICE_PROVIDER = {
    "NETLOC": f"127.0.0.1:{os.environ['PEER_PORT']}",
    "SCHEME": "http",
    "GROUP_MODEL": "peer.models.Group",
    "AUTHENTICATION_SCHEMES": [
        {"type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "Authentication with a bearer token"}
    ],
}
