"""Helpers of the portal tests (import as `from portal_helpers import ...`)."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery"


def csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, name):
    token = csrf(client)
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
