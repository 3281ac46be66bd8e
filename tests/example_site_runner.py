"""Run the example site in subprocesses: ``manage.py`` commands and ``runserver`` on a free port.

Shared by the tests that drive the example site as a person would (``tests/test_example_site.py``,
the GraphQL client, browser and two-server tests) and by ``scripts/fuzz_api.py``, which runs
outside pytest: so this module does not import pytest. Its helpers raise ``ExampleSiteError``
(with the command's output or the server's log in the message), which fails a test and which the
script reports.

Nothing here imports the example site: the subprocesses use its settings, the caller's process
keeps its own.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXAMPLE_SITE = Path(__file__).resolve().parent.parent / "example_site"


class ExampleSiteError(Exception):
    """A ``manage.py`` command or ``runserver`` of the example site failed."""


def example_site_env(
    database_url: str, base_url: str | None = None, **extra: str
) -> dict[str, str]:
    """The environment of the example site's subprocesses: this one's, with its settings.

    ``DJANGO_DEBUG`` is on (``runserver`` serves static files; a 500's traceback lands in its
    log) and output is unbuffered. ``base_url`` becomes ``WAGTAILADMIN_BASE_URL``; ``extra``
    variables are added last, so they may replace any of these (``DJANGO_SETTINGS_MODULE``).
    """
    env = {
        **os.environ,
        # Under pytest-django this process exports tests.settings: the example uses its own.
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    if base_url is not None:
        env["WAGTAILADMIN_BASE_URL"] = base_url
    return {**env, **extra}


def sqlite_site(tmp: Path, **extra: str) -> tuple[int, str, dict[str, str]]:
    """A free port, the base URL on it and the env (``example_site_env``, ``extra`` added) of an
    example site whose SQLite database is ``tmp/db.sqlite3``."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    return port, base_url, example_site_env(f"sqlite:///{tmp / 'db.sqlite3'}", base_url, **extra)


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run the example site's ``manage.py`` with ``args``; return its stdout.

    Raises ``ExampleSiteError`` with its stdout and stderr if it exits with an error.
    """
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE_SITE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise ExampleSiteError(
            f"manage.py {' '.join(args)} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result.stdout


def last_json_line(output: str) -> dict:
    """The last non-blank line of ``output`` (``manage.py shell -c`` printing JSON), parsed."""
    return json.loads([line for line in output.splitlines() if line.strip()][-1])


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of the call."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, url: str, log: Path, timeout: float = 30) -> None:
    """Return once ``url`` answers (any status); raise ``ExampleSiteError`` with the log if the
    server exits first or does not answer within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ExampleSiteError(
                f"runserver exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise ExampleSiteError(f"runserver did not answer {url} within {timeout} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    """Terminate ``process`` and wait for it; kill it if it has not exited after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def runserver(
    env: dict[str, str],
    port: int,
    log: Path,
    *,
    ready_path: str = "/admin/login/",
    skip_checks: bool = True,
    timeout: float = 30,
) -> Iterator[subprocess.Popen]:
    """``manage.py runserver 127.0.0.1:<port> --noreload``, its output written to ``log``.

    Yields the process once ``ready_path`` answers (see ``wait_until_serving``); terminates it
    and waits for it on exit. System checks are skipped unless ``skip_checks`` is false (they run
    in ``make migrations-check``): the server starts faster.
    """
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    if skip_checks:
        command.append("--skip-checks")
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command, cwd=EXAMPLE_SITE, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            wait_until_serving(process, f"http://127.0.0.1:{port}{ready_path}", log, timeout)
            yield process
        finally:
            stop(process)
