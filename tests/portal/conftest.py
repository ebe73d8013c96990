"""Portal fixtures: an app on a temporary data folder, with a marketing and a legal account."""

from __future__ import annotations

import pytest
from portal_helpers import PASSWORD, login


@pytest.fixture
def app(tmp_path):
    from auditor.portal import create_app

    application = create_app(tmp_path / "data", secret_key="test-secret", testing=True)
    application.store.add_user("mia", "marketing", PASSWORD)
    application.store.add_user("lee", "legal", PASSWORD)
    return application


@pytest.fixture
def marketing(app):
    return login(app.test_client(), "mia")


@pytest.fixture
def legal(app):
    return login(app.test_client(), "lee")
