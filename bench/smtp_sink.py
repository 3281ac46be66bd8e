"""An SMTP server on 127.0.0.1 that accepts and counts every message, in a process of its own
(so that it does not share the benchmark's interpreter). Started by bench/followers_bench.py.

    python bench/smtp_sink.py PORT

Prints "ready" once listening; on each line "count" read from stdin, prints the number of
messages accepted so far; exits at end of input.
"""

from __future__ import annotations

import sys
import threading

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        with self.lock:
            self.count += 1
        return "250 OK"


def main() -> int:
    port = int(sys.argv[1])
    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "count":
                print(handler.count, flush=True)
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
