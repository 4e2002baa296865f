"""Fault points for crash tests: ALTJUNG_FAULTS="point[@flagfile],…" SIGKILLs the process there.

With a flag file the fault fires once: the file is created just before the kill, and a process that
finds it carries on. Without one it fires every time. Unset (always in real use), it costs one lookup.
"""

from __future__ import annotations

import os
import signal

_SPEC = os.environ.get("ALTJUNG_FAULTS", "")
_POINTS: dict[str, str | None] = {}
for _item in filter(None, (i.strip() for i in _SPEC.split(","))):
    _name, _, _flag = _item.partition("@")
    _POINTS[_name] = _flag or None


def fault_point(name: str) -> None:
    """Die here, as hard as a power cut, if a crash test asked for it."""
    if name not in _POINTS:
        return
    flag = _POINTS[name]
    if flag is not None:
        try:
            fd = os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)
