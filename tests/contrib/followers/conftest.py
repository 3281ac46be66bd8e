from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.contrib.followers.smtp import SMTPServer


@pytest.fixture
def smtp(settings) -> Iterator[SMTPServer]:
    """A real SMTP server on the loopback, and Django sending to it."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        yield server
