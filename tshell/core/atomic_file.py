"""Replace a file atomically: write a temporary file in the target's folder, rename it over.

A temporary is named `.tshell-save.<host>.<pid>.<random>.tmp`: a user can tell it is
tshell's and removable, and the next save to the folder removes the ones a killed process
(same host, pid no longer running) left behind - and no other file.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import stat

PREFIX = ".tshell-save."
_TEMPORARY = re.compile(r"\.tshell-save\.([A-Za-z0-9-]+)\.(\d+)\.[0-9a-f]{12}\.tmp")


@contextlib.contextmanager
def replacing(path):
    """Yield a binary file that replaces `path` when the block ends without an error;
    on any error (Ctrl-C included) the temporary is removed and `path` is left as it was.

    A new file gets the mode open(path, "w") would give it (0666 less the umask); a
    replaced file keeps its permission bits.
    """
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(folder)
    mode = _permission_bits(path)
    try:
        fd, tmp = _create_temporary(folder, mode)
    except OSError as e:       # report the user's path, not the temporary file's
        raise type(e)(e.errno, f"{e.strerror}: cannot write {path!r}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _permission_bits(path):
    """The permission bits of the file being replaced, or None for a new file."""
    try:
        return os.stat(path).st_mode & 0o777      # setuid/setgid are not carried over
    except OSError:
        return None


def _create_temporary(folder, mode):
    # Replacing a file: created 0600 and only then given the old file's bits, so that no
    # one can open a private file's replacement in between. New file: the umask decides.
    create_mode = 0o666 if mode is None else 0o600
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(folder, temporary_name())
        try:
            fd = os.open(tmp, flags, create_mode)
        except FileExistsError:
            continue
        if mode is not None:
            _set_mode(fd, tmp, mode)
        return fd, tmp
    raise FileExistsError(17, "File exists")


def _set_mode(fd, tmp, mode):
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:
            os.chmod(tmp, mode)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise


def temporary_name(pid=None):
    """The name of a new temporary for process `pid` (this one by default) on this host."""
    pid = os.getpid() if pid is None else pid
    return f"{PREFIX}{_host()}.{pid}.{secrets.token_hex(6)}.tmp"


def _host():
    """This machine's name in the characters a temporary's name allows."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def remove_stale_temporaries(folder):
    """Remove the temporaries in `folder` that dead tshell processes on this host left."""
    if os.name != "posix":     # os.kill(pid, 0) is no liveness test elsewhere
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(PREFIX) and _is_stale(entry):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _is_stale(entry):
    """A regular file of ours, named by temporary_name() here for a process that is gone."""
    match = _TEMPORARY.fullmatch(entry.name)
    if match is None or match.group(1) != _host():
        return False      # another machine's (a shared folder): its pids mean nothing here
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
            and not _process_exists(int(match.group(2))))


def _process_exists(pid):
    if pid <= 0 or pid == os.getpid():
        return True           # kill(0, ...) means the process group: never stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True           # someone else's process, or a pid we cannot test
    return True
