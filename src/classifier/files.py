"""Writing files safely: checked before the work, written whole or not at all, with the user's umask.

Every command that writes a file goes through here. ``check_output`` runs before any work:
it refuses an output that is also an input of the run or a directory, and a directory that
cannot be written into. ``atomic_file`` writes a hidden temporary file beside the target and
renames it over the target only when the block finishes without error, so a reader sees the
old file or the new one, never half of one. Temporary files left by a killed run are removed
by the next write to the same target.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "new" / "out.txt"
    >>> check_output(out, inputs=["report.txt"])
    >>> with atomic_file(out) as f:
    ...     _ = f.write("done")
    >>> out.read_text()
    'done'
"""
from __future__ import annotations

import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import ClassifierError, UsageError

_TEMP = ".tmp-"  # temporary outputs are named .NAME.tmp-PID-RANDOM


def umask() -> int:
    """The process's umask (read without changing it where /proc allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def new_mode(existing: Path | None = None, *, directory: bool = False) -> int:
    """Permission bits for a file (or directory) about to replace ``existing``: its mode, or the umask's."""
    try:
        if existing is not None:
            return stat.S_IMODE(existing.stat().st_mode)
    except OSError:
        pass
    return (0o777 if directory else 0o666) & ~umask()


def _is_input(target: Path, inputs: Iterable[str | os.PathLike]) -> bool:
    """Whether ``target`` is one of ``inputs`` (``-`` aside): the same resolved path, or the same file."""
    sources = [Path(source) for source in inputs if str(source) != "-"]
    if not sources:
        return False
    try:
        resolved = target.resolve()
    except OSError:
        return False
    try:
        info = target.stat()
    except OSError:
        info = None
    for source in sources:
        try:
            if source.resolve() == resolved or (info is not None and os.path.samestat(info, source.stat())):
                return True
        except OSError:
            pass
    return False


def check_output(path: str | os.PathLike | None, inputs: Iterable[str | os.PathLike] = (), *,
                 flag: str = "--output", force: bool = True) -> None:
    """Raise a UsageError now, before any work, when ``path`` cannot or must not be written.

    ``None`` or ``-`` (standard output) always pass. ``force=False`` also refuses an existing file."""
    if path is None or str(path) == "-":
        return
    target = Path(path)
    if _is_input(target, inputs):
        raise UsageError(flag, f"{target} is also an input of this run; choose another output file")
    if target.is_dir():
        raise UsageError(flag, f"{target} is a directory; give a file name")
    if target.exists() and not force:
        raise UsageError(flag, f"{target} exists; give another name or --force to replace it")
    check_place(target, flag)


def check_place(target: Path, flag: str) -> None:
    """Raise a UsageError unless ``target`` can be created (or replaced) where it is."""
    parent = target.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(flag, f"cannot create {target}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(flag, f"cannot write {target}: directory {parent} is not writable")


def input_paths(names: Iterable[str]) -> list[Path]:
    """The paths an output must not overwrite: the files named, and the files directly inside named directories."""
    out = []
    for name in names:
        path = Path(name)
        out.append(path)
        if str(name) != "-" and path.is_dir():
            out.extend(child for child in path.iterdir() if child.is_file())
    return out


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (or may be: one that cannot be signalled counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temporaries(target: Path) -> None:
    """Remove the temporary files of writes to ``target`` whose process is gone (a killed run's)."""
    prefix = f".{target.name}{_TEMP}"
    try:
        entries = list(os.scandir(target.parent if str(target.parent) else "."))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix):].partition("-")[0]
        if not entry.name.startswith(prefix) or not pid.isdigit() or pid_alive(int(pid)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():
                os.unlink(entry.path)
        except OSError:
            pass


@contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "w", *, encoding: str = "utf-8",
                newline: str | None = "") -> Iterator[IO]:
    """An open file that becomes ``path`` (missing directories created) only if the block succeeds.

    A new file gets the umask's permissions; a replaced file keeps its own. A failure to write
    (a full disk, say) is a ClassifierError naming ``path``; the old file is left as it was."""
    target = Path(path)
    try:
        tmp = temporary_path(target)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ClassifierError(target, f"cannot write ({exc.strerror or exc})") from None
    try:
        text = "b" not in mode
        with os.fdopen(fd, mode, **({"encoding": encoding, "newline": newline} if text else {})) as f:
            yield f
        publish(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise ClassifierError(target, f"cannot write ({exc.strerror or exc})") from None
        raise


def temporary_path(target: str | os.PathLike, suffix: str = "") -> Path:
    """A fresh name for a temporary file beside ``target`` that ``remove_stale_temporaries`` knows."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)  # mkdir honours the umask
    remove_stale_temporaries(target)
    return target.with_name(f".{target.name}{_TEMP}{os.getpid()}-{secrets.token_hex(4)}{suffix}")


def publish(tmp: Path, target: str | os.PathLike) -> None:
    """Give ``tmp`` the mode a new ``target`` should have, then rename it over ``target``."""
    target = Path(target)
    os.chmod(tmp, new_mode(target))
    os.replace(tmp, target)
