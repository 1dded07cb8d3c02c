"""Where the tokenizer keeps its prepared dictionary: a private per-user cache directory.

``$XDG_CACHE_HOME/classifier``, else ``~/.cache/classifier``, else ``classifier-UID`` in the
system's temporary directory; each only when it is the user's own and others cannot write it.
Cleaning removes only files this package wrote there (named ``jieba-*.dict`` and starting with
its header, or the temporary file of a killed save). Nothing is ever kept in the current directory.

    >>> directory = cache_dir()
    >>> directory is None or directory.name.startswith("classifier")
    True
"""
from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

from ..files import temporary_path


def cache_dir() -> Path | None:
    """The user's private directory for the prepared dictionary, or None when there is none to be had.

    ``$XDG_CACHE_HOME/classifier``, else ``~/.cache/classifier``, else ``classifier-UID`` in the
    system's temporary directory (mode 700). A directory is used only when it is ours, a real
    directory (not a link) and not writable by others; never the current directory."""
    bases = []
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        bases.append((Path(xdg) / "classifier", 0o022))
    try:
        bases.append((Path.home() / ".cache" / "classifier", 0o022))
    except (RuntimeError, KeyError):  # no home directory known
        pass
    uid = os.geteuid() if hasattr(os, "geteuid") else 0
    bases.append((Path(tempfile.gettempdir()) / f"classifier-{uid}", 0o077))  # shared: private or nothing
    for path, forbidden in bases:
        if _private(path, forbidden):
            return path
    return None


def _private(path: Path, forbidden: int) -> bool:
    """Create ``path`` (mode 700) if needed; True when it is a directory of ours that others cannot write."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    owner = os.geteuid() if hasattr(os, "geteuid") else info.st_uid
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == owner and not stat.S_IMODE(info.st_mode) & forbidden
            and os.access(path, os.W_OK | os.X_OK))


STALE_DAYS = 30  # a saved dictionary left unwritten this long is removed when another one is saved


def save(path: Path, data: bytes, magic: bytes) -> None:
    """Write the prepared dictionary atomically; a cache that cannot be written is skipped.

    Each install of jieba (and each format) has its own copy, of about 16 MB, so copies of installs
    that are gone would pile up: saving one removes the others not written for ``STALE_DAYS``. An
    install still in use whose copy goes builds it again, once."""
    try:
        tmp = temporary_path(path)  # a killed save's leftover is removed by the next save
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    _remove_stale(path, magic)


def _remove_stale(kept: Path, magic: bytes) -> None:
    """Remove saved dictionaries (named ``jieba-*.dict`` and starting with our header) left unwritten too long."""
    cutoff = time.time() - STALE_DAYS * 86400
    for other in kept.parent.glob("jieba-*.dict"):
        try:
            if other != kept and other.stat().st_mtime < cutoff and other.is_file() and not other.is_symlink():
                with open(other, "rb") as f:
                    ours = f.read(len(magic)) == magic
                if ours:
                    other.unlink()
        except OSError:  # gone already, or not ours to remove
            pass
