"""What the kernel says about a process, for a failure report: a killed process that does not
go away (it can sit in uninterruptible disk sleep under heavy I/O) or a round that does not
end should explain itself the first time it happens on CI, not after a rerun with prints.

Read only when something has already failed, so any of it may be gone by then; every file is
read on its own and a missing one is reported, not raised.
"""

from __future__ import annotations

from pathlib import Path

_STATUS_KEYS = ("Name", "State", "Tgid", "PPid", "Threads", "SigQ", "SigPnd", "ShdPnd",
                "SigBlk", "SigIgn", "SigCgt", "voluntary_ctxt_switches",
                "nonvoluntary_ctxt_switches")


def _proc_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or "(empty)"
    except OSError as e:
        return f"({e.strerror or e})"


def kernel_state(pid: int) -> str:
    """What the kernel says about process ``pid``: its state and pending signals, where it
    waits (wchan, system call, kernel stack if readable) for every thread, and the machine's
    load and pressure. Read on failure only, so any of it may be gone already."""
    base = Path(f"/proc/{pid}")
    status = [line for line in _proc_text(base / "status").splitlines()
              if line.split(":", 1)[0] in _STATUS_KEYS]
    parts = [f"kernel state of pid {pid} (load {_proc_text(Path('/proc/loadavg'))}):",
             *status, f"wchan: {_proc_text(base / 'wchan')}",
             f"syscall: {_proc_text(base / 'syscall')}",
             f"stack:\n{_proc_text(base / 'stack')}", f"io:\n{_proc_text(base / 'io')}"]
    try:
        tasks = sorted((base / "task").iterdir(), key=lambda t: int(t.name))
    except OSError:
        tasks = []
    for task in tasks:
        parts.append(f"thread {task.name}: stat {_proc_text(task / 'stat')}; "
                     f"wchan {_proc_text(task / 'wchan')}; "
                     f"syscall {_proc_text(task / 'syscall')}\n{_proc_text(task / 'stack')}")
    for kind in ("cpu", "io", "memory"):
        parts.append(f"pressure {kind}: "
                     f"{' | '.join(_proc_text(Path('/proc/pressure') / kind).splitlines())}")
    return "\n".join(parts)
