"""An exclusive OS lock on an output folder for the whole job, so two jobs never write one folder.

``fcntl.flock`` is released by the kernel when the process ends, even on kill -9, so a stale lock
never blocks a resume; the holder's PID is written into the lock file for the error message.
"""

from __future__ import annotations

import os
from pathlib import Path

from stancekit.errors import OutputError, OutputLockedError

LOCK_NAME = ".stancekit.lock"


class FolderLock:
    """Hold ``folder/.stancekit.lock`` exclusively until :meth:`release` (or the process ends)."""

    def __init__(self, folder: Path) -> None:
        import fcntl

        self.path = Path(folder) / LOCK_NAME
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create the lock file {self.path}: {exc.strerror}") from exc
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pid = self._holder()
            os.close(self._fd)
            self._fd = None
            who = f"pid {pid}" if pid else "another process"
            raise OutputLockedError(
                f"{folder} is in use by another stancekit job ({who}); wait for it or choose another folder", pid
            ) from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, str(os.getpid()).encode())

    def _holder(self) -> int | None:
        try:
            return int(os.pread(self._fd, 32, 0).decode().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self._fd is not None:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
