"""Runs scim2-tester's check_server against a SCIM base URL; prints one JSON object per check."""

import json
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server

url, token = sys.argv[1], sys.argv[2]
client = SyncSCIMClient(Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60))
for result in check_server(client, raise_exceptions=False):
    print(
        json.dumps(
            {
                "status": result.status.name,
                "title": result.title,
                "resourceType": result.resource_type,
                "tags": sorted(result.tags),
                "reason": (result.reason or "")[:2000],
            }
        ),
        flush=True,
    )
