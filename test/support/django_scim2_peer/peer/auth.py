import hmac
import os

from django.contrib.auth.models import AnonymousUser


class Client:
    """The SCIM client holding the token: authenticated, and no row in the user table (it would be listed)."""

    is_authenticated = True
    is_anonymous = False


class BearerToken:
    def __init__(self, get_response):
        self.get_response = get_response
        self.expected = f"Bearer {os.environ['PEER_TOKEN']}".encode()

    def __call__(self, request):
        given = request.headers.get("Authorization", "").encode()
        request.user = Client() if hmac.compare_digest(given, self.expected) else AnonymousUser()
        return self.get_response(request)
