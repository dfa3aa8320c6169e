"""One writer per store: an exclusive ``fcntl.flock`` on ``<store>.lock`` naming its holder."""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from .errors import StoreError, StoreLocked


def login_name() -> str:
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return os.environ.get("USER") or "annotator"


class StoreLock:
    """Held from open to close; the kernel releases it if the process dies."""

    def __init__(self, lock_path: Path, store_name: str) -> None:
        self.path = lock_path
        self.store_name = store_name
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot create {self.path.name} in {self.path.parent}: "
                f"{exc.strerror or exc} (the folder must be writable; open read-only to only read)"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe_holder(fd)
            os.close(fd)
            raise StoreLocked(
                f"{self.store_name} is in use by annotator ({holder}); close it first"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        info = {
            "pid": os.getpid(),
            "user": login_name(),
            "host": socket.gethostname(),
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):  # the lock itself is what matters
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


def _describe_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        since = datetime.fromisoformat(info["since"])
        now = datetime.now(since.tzinfo)
        when = (
            since.strftime("%H:%M")
            if since.date() == now.date()
            else since.strftime("%Y-%m-%d %H:%M")
        )
        return f"pid {info['pid']}, {info['user']}@{info['host']}, since {when}"
    except Exception:
        return "another process"
