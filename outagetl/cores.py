"""How many cores a run may use now: the rule the story workers (``parallel``) and the log
reader's second process (``logs.reader``) share.

Like ``make --load-average``, a second process starts only where other work leaves it a core;
unlike it, the other work is what runs *now* (the kernel's count of runnable tasks), not the
1-minute load average: that average still holds the minute before, a command that just ended
and this run's own start-up, so a build started right after another one (a script's next
step, a benchmark's turns) saw a load near 1 on an idle 2-core machine and read alone.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

LOADAVG = Path("/proc/loadavg")
"""Linux's load file: ``1.02 0.80 0.61 2/178 4242``, the fourth field runnable/all tasks."""


def cores() -> int:
    """The cores this process may run on: those it is pinned to, fewer when its cgroup's CPU quota
    (a container's ``--cpus``) allows fewer."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text(encoding="ascii").split()[:2]
        if quota != "max":
            count = min(count, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return count


SAMPLES = 3
SAMPLE_GAP = 0.001
"""The count is read ``SAMPLES`` times this many seconds apart and the least taken: a task that
runs for an instant (a kernel thread, the shell starting this command) is not other work, while
a job that holds a core is runnable at every read. (On a quiet 2-core machine one read in twenty
saw a second task running: a build that read then would have left a core idle.)"""


def others() -> float | None:
    """The tasks running now besides this process (which is running as it reads the count);
    where the kernel does not say, the 1-minute load average; None if neither can be read."""
    counts = []
    for i in range(SAMPLES):
        if i:
            time.sleep(SAMPLE_GAP)
        try:
            counts.append(int(LOADAVG.read_text(encoding="ascii").split()[3].split("/")[0]))
        except (OSError, ValueError, IndexError):
            break
    if counts:
        return max(0, min(counts) - 1)
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def free_cores() -> int:
    """The cores the other work leaves free, this process's own counted in. On a 2-core machine
    loaded 3-6 by other work, two story workers took 1.1-1.2x one's wall time and two log
    readers 1.0-1.5x (they fight the others for a core, and send their results back besides)."""
    busy = others()
    if busy is None:
        return 1
    count = cores()
    return max(1, min(count, int(count - busy) + 1))
