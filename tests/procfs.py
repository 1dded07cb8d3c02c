"""Processes as Linux's /proc shows them, for the tests that kill runs and look for survivors."""
from __future__ import annotations

import os
import subprocess
import sys


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state first, then the parent's pid)."""
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
        return f.read().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """The live (not zombie) children of ``pid``, in pid order."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = _stat(entry)
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return sorted(found)


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running (not zombie) process."""
    try:
        return _stat(pid)[0] != "Z"
    except OSError:
        return False


def dead_pid() -> int:
    """The pid of a process started here and already ended (reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
