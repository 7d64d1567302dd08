"""Password hashing (argon2id), for every place that sets or checks a password.

The web's sign-in and account pages, the demo loader, the benchmark generators and the tests all
hash passwords; keeping the hasher here, outside ``carbon.web``, lets the layers below the web use
it without importing the web application.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from carbon.config import Environment as RuntimeEnvironment
from carbon.config import Settings


@cache
def password_hasher(env: RuntimeEnvironment) -> PasswordHasher:
    """argon2id with its recommended parameters; the smallest allowed ones under test, where a
    real hash per created user would make the suite slow."""
    if env == RuntimeEnvironment.test:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=16, salt_len=8)
    return PasswordHasher()


@cache
def _dummy_hash(env: RuntimeEnvironment) -> str:
    return password_hasher(env).hash(secrets.token_urlsafe(16))


def hash_password(password: str, settings: Settings) -> str:
    return password_hasher(settings.env).hash(password)


def verify_password(stored_hash: str | None, password: str, settings: Settings) -> bool:
    """True when ``password`` matches; pass ``None`` for an unknown e-mail address, so that an
    unknown account costs the same time as a wrong password and cannot be told apart."""
    hasher = password_hasher(settings.env)
    if stored_hash is None:
        # Spend the time a real check takes, so an unknown address is not told apart.
        with suppress(VerificationError):
            hasher.verify(_dummy_hash(settings.env), password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, settings: Settings) -> bool:
    """True when the hash was made with older parameters: rehash it at the next successful login."""
    try:
        return password_hasher(settings.env).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
