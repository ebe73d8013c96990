"""Portal accounts: names, password strength, and the `auditor users` commands' work.

Passwords are prompted (hidden, twice), never taken from the command line,
where they would land in shell history and in every user's `ps`. A password
must have at least MIN_LENGTH characters, several different ones, must not be
a common password (a deny-list, compared without case, spaces and trailing
digits) and must not contain the account name.
"""

from __future__ import annotations

import re

MIN_LENGTH = 12
MIN_DISTINCT = 5
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

# Common passwords and their usual shapes (compared lowercased, without spaces and trailing digits or
# punctuation), from the most-used lists; long enough to pass the length rule, or close to it.
COMMON = frozenset(["password", "passw0rd", "passwort", "motdepasse", "contrasena", "qwerty", "qwertyuiop", "qwertyuiopasdfghjkl", "asdfghjkl", "zxcvbnm", "qwerty123", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "1qaz2wsx3edc", "zaq12wsx", "abc123", "abcdef", "abcdefgh", "abcdefghijkl", "letmein", "welcome", "welcomehome", "iloveyou", "admin", "administrator", "root", "changeme", "changeit", "default", "secret", "password123", "password1", "passwordpassword", "adminadmin", "rootroot", "test", "testtest", "testing", "guest", "master", "dragon", "monkey", "football", "baseball", "superman", "batman", "trustno1", "starwars", "princess", "sunshine", "shadow", "michael", "whatever", "freedom", "hello", "helloworld", "loveme", "access", "login", "logmein", "mustang", "charlie", "jordan", "jennifer", "summer", "winter", "spring", "autumn", "marketing", "legal", "campaign", "auditor", "portal", "company", "telecom", "mobile", "correcthorsebatterystaple", "correcthorse", "batterystaple"])


def check_name(name: str) -> None:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError("an account name is 1 to 64 letters, digits, dots, dashes, underscores or @, "
                         "starting with a letter or digit")


def _core(password: str) -> str:
    return re.sub(r"[\d\W_]+$", "", re.sub(r"\s+", "", password.lower()))


def check_password_strength(password: str, name: str = "") -> None:
    """Raise ValueError saying why a password is refused."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ValueError(f"the password must have at least {MIN_LENGTH} characters")
    if not password.strip() or len(set(password)) < MIN_DISTINCT:
        raise ValueError(f"the password must use at least {MIN_DISTINCT} different characters")
    core = _core(password)
    if core in COMMON or password.lower() in COMMON or not core.strip("0123456789"):
        raise ValueError("this password is among the most common ones; choose another")
    if name and len(name) >= 3 and name.lower() in password.lower():
        raise ValueError("the password must not contain the account name")
