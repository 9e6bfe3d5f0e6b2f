"""How many CPUs this process may really use: the cgroup CPU quota and the affinity mask, whichever is lower.

`os.cpu_count()` counts the node's cores. Under a Kubernetes CPU limit (a CFS quota) a container on a
16-core node still sees 16 cores and would start 16 workers (each with its own ~280 MB model copy) to share
the time of, say, 2. A cpuset (static CPU manager, `docker --cpuset-cpus`) shows in the affinity mask; a
quota only in the cgroup files, read here.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")
# cgroup v1 mounts the cpu controller alone or together with cpuacct, depending on the distribution.
_V1_CPU_DIRS = ("cpu", "cpu,cpuacct", "cpuacct,cpu")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _cpus_from_quota(quota: int, period: int) -> int | None:
    """Whole CPUs a quota allows, rounded up (1.5 CPUs -> 2: the half is still worth a worker); None = no limit."""
    if quota <= 0 or period <= 0:
        return None
    return max(1, math.ceil(quota / period))


def cgroup_v2_cpus(cgroup_root: Path) -> int | None:
    """CPUs allowed by cgroup v2 `cpu.max` ("max 100000" = no limit, "150000 100000" = 1.5); None if absent."""
    raw = _read(cgroup_root / "cpu.max")
    if raw is None:
        return None
    parts = raw.split()
    if len(parts) != 2 or parts[0] == "max":
        return None
    try:
        return _cpus_from_quota(int(parts[0]), int(parts[1]))
    except ValueError:
        log.warning("cannot read %s: %r", cgroup_root / "cpu.max", raw)
        return None


def cgroup_v1_cpus(cgroup_root: Path) -> int | None:
    """CPUs allowed by cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us` (quota -1 = no limit); None if absent."""
    for name in _V1_CPU_DIRS:
        folder = cgroup_root / name
        quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
        if quota is None or period is None:
            continue
        try:
            return _cpus_from_quota(int(quota), int(period))
        except ValueError:
            log.warning("cannot read the CFS quota in %s: %r / %r", folder, quota, period)
            return None
    return None


def affinity_cpus() -> int:
    """CPUs in this process's affinity mask (a cpuset limits it), or the machine's count off Linux."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def available_cpus(cgroup_root: Path = CGROUP_ROOT, affinity: int | None = None) -> int:
    """CPUs this process may use: min(cgroup quota rounded up, affinity mask), never below 1.

    Reads the container's own cgroup as mounted at `cgroup_root` (a cgroup namespace, the default for
    containers on cgroup v2 and what Docker and Kubernetes mount on v1); v2 is tried first, so a hybrid host
    with an empty unified hierarchy still gets its v1 quota.
    """
    cpus = affinity if affinity is not None else affinity_cpus()
    quota = cgroup_v2_cpus(cgroup_root)
    if quota is None:
        quota = cgroup_v1_cpus(cgroup_root)
    if quota is not None:
        cpus = min(cpus, quota)
    return max(1, cpus)
