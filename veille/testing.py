"""Plain helpers that tests of several apps share (fixtures live in veille/conftest.py).

A test module imports these from here, never from another test module: importing a test module
collects its tests and fixtures a second time and ties the two files together.
"""

import re
import time
from pathlib import Path

# The password of every user made by the make_user fixture (test accounts only).
PASSWORD = "correct horse battery"  # noqa: S105


def log_in(page, base: str, user) -> None:
    """Log ``user`` in through the login form in a Playwright ``page`` of the site at ``base``."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/home/$"))


def database_url() -> str:
    """The test database as a VEILLE_DATABASE_URL, for a process (worker, command) to share it."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db["USER"] or "postgres"
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, seconds: float = 30.0) -> bool:
    """Poll ``predicate`` until it is true (True) or ``seconds`` have passed (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
