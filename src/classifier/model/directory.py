"""A model directory on disk: checked before training, replaced in one step, read as one version.

Saving writes a hidden staging directory beside the target (``.NAME.staging-PID-RANDOM``, holding
the marker file ``.classifier-staging``), then swaps it in: on Linux the two directories trade
places in one ``renameat2(RENAME_EXCHANGE)``, so the path always holds a whole model; elsewhere
the old one is renamed aside for the instant between two renames. Saves to one path take turns
through a lock file (``.NAME.lock``). Staging directories of a killed save are removed by the next
save to the same path; only directories with both the name and the marker are touched.

Reading opens the directory once and reads every file through that handle, so the files come
from one version; when a save replaced the directory during the read, it is read once more.

    >>> check_destination("models/not-there-yet")
"""
from __future__ import annotations

import ctypes
import errno
import glob
import os
import secrets
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from ..errors import ModelError, UsageError
from ..files import check_place, new_mode, pid_alive

MARKER = ".classifier-staging"
MAX_BYTES = 256 << 20  # the largest model file or array accepted (the bundled model's largest is under 2 MB)


def _entries(target: Path) -> set[str]:
    return set(os.listdir(target))


def check_destination(directory: str | os.PathLike, members: tuple[str, ...] = ()) -> None:
    """Raise a UsageError unless ``directory`` is new, empty or a model directory (of ``members``),
    in a place that can be written.

    >>> check_destination("README.md")
    Traceback (most recent call last):
    classifier.errors.UsageError: README.md: exists and is not a directory; a model is written as a new directory
    """
    target = Path(directory)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(target, "exists and is not a directory; a model is written as a new directory")
    if target.is_dir():
        entries = _entries(target)
        if entries and ("metadata.json" not in entries or not entries <= {*members, "metadata.json", MARKER}):
            shown = ", ".join(sorted(entries)[:4]) + (", …" if len(entries) > 4 else "")
            raise UsageError(target, f"exists and is not a model directory (it holds {shown}); nothing was "
                                     "written: give a new directory, or a model directory to replace")
    check_place(target, str(target))


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``target`` while saving, so that two saves to one path take turns."""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: saves are not serialised
        yield
        return
    lock = target.with_name(f".{target.name}.lock")
    while True:  # the lock file is removed after each save: make sure the one locked is still the one there
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        if _inode(lock) == os.fstat(fd).st_ino:
            break
        os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)  # closing releases the lock


def remove_stale_staging(target: Path) -> None:
    """Remove staging directories of saves to ``target`` whose process is gone.

    Only a directory named ``.NAME.staging-PID-…`` that holds the marker file is removed."""
    prefix = f".{target.name}.staging-"
    for entry in target.parent.iterdir() if target.parent.is_dir() else ():
        pid = entry.name[len(prefix):].partition("-")[0]
        if entry.name.startswith(prefix) and pid.isdigit() and not pid_alive(int(pid)) \
                and entry.is_dir() and not entry.is_symlink() and (entry / MARKER).is_file():
            shutil.rmtree(entry, ignore_errors=True)


def new_staging(target: Path) -> Path:
    """An empty private staging directory beside ``target``, marked as ours."""
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")
    os.mkdir(staging, 0o700)
    (staging / MARKER).write_bytes(b"")
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, target: Path) -> None:
    """Put the finished ``staging`` at ``target`` (keeping an existing directory's mode), then drop the old one."""
    os.chmod(staging, new_mode(target if target.is_dir() else None, directory=True))
    if not target.exists():
        os.rename(staging, target)
    elif _exchange(staging, target):
        (staging / MARKER).write_bytes(b"")  # the old model now sits at the staging name
        shutil.rmtree(staging, ignore_errors=True)
    else:
        old = target.with_name(f"{staging.name}-old")
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    (target / MARKER).unlink(missing_ok=True)


class _Moved(Exception):
    """The directory was replaced while it was being read."""


class _Missing(Exception):
    """The directory could not be opened: there is none (or not a directory) at its path."""


_NO_DIRECTORY = "no such model directory; train one with `classifier train --output DIR`"


Checked = TypeVar("Checked")


def read_files(directory: Path, names: tuple[str, ...],
               check: Callable[[dict[str, bytes]], Checked] | None = None) -> dict[str, bytes] | Checked:
    """The bytes of ``names`` in ``directory`` by name, all from one version of it; given ``check``
    (which raises ModelError), what ``check`` returns for them. When the directory is missing for
    the instant of a save's swap, or a save replaced it during the read, it is read once more.
    A missing or oversize file is a ModelError naming it."""
    try:
        return _read_once(directory, names, check)
    except _Moved as moved:
        first = moved.__cause__
    except _Missing:
        if not mid_swap(directory):
            raise ModelError(directory, _NO_DIRECTORY) from None
        first = None
    try:
        return _read_once(directory, names, check)
    except _Moved as moved:
        raise (first or moved.__cause__) from None
    except _Missing:
        raise ModelError(directory, _NO_DIRECTORY) from None


def mid_swap(directory: Path) -> bool:
    """Whether ``directory`` is missing for the instant of a two-rename swap (where one-step exchange is
    not available): then wait for the new one, up to a second."""
    import time

    for _ in range(20):
        if directory.is_dir():
            return True
        if not list(directory.parent.glob(f".{glob.escape(directory.name)}.staging-*-old")):
            return False
        time.sleep(0.05)
    return directory.is_dir()


def _read_once(directory: Path, names: tuple[str, ...], check):
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the path
        raise _Missing() from None
    except OSError as exc:
        raise ModelError(directory, f"cannot open the model directory ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode):  # a file, where os.open has no O_DIRECTORY to refuse it
            raise _Missing()
        try:
            out = {name: _read_member(fd, directory, name) for name in names}
            return check(out) if check else out
        except ModelError as exc:
            if _inode(directory) != info.st_ino:
                raise _Moved() from exc
            raise
    finally:
        os.close(fd)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _read_member(dir_fd: int, directory: Path, name: str) -> bytes:
    try:
        if os.open in os.supports_dir_fd:
            fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
        else:
            fd = os.open(directory / name, os.O_RDONLY)
    except FileNotFoundError:
        raise ModelError(directory / name, "model file is missing") from None
    except OSError as exc:
        raise ModelError(directory / name, f"cannot read the model file ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ModelError(directory / name, "not a regular file")
        if info.st_size > MAX_BYTES:
            raise ModelError(directory / name, f"{info.st_size} bytes, more than a model file may hold "
                                               f"({MAX_BYTES >> 20} MB); refusing to load it")
        return f.read(MAX_BYTES + 1)
