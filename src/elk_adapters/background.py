"""``BackgroundService``: a service that runs in threads beside ELK and is used in ``with``.

The SMTP capture, the mail worker and the OSO simulator each start on entering the block and
stop on leaving it, however it is left.
"""

from __future__ import annotations

import abc
from typing import Self


class BackgroundService(abc.ABC):
    """Started by ``with`` on entry and stopped on exit; ``start`` and ``stop`` also work alone."""

    @abc.abstractmethod
    def start(self) -> Self:
        """Start serving in the background; returns the service."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop serving and release what it holds."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
