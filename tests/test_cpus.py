"""available_cpus over fake cgroup trees: the quota, rounded up, and the affinity mask, whichever is lower."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.cpus import available_cpus


def v2(root: Path, cpu_max: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "cpu.max").write_text(cpu_max + "\n")
    return root


def v1(root: Path, quota: str, period: str = "100000", folder: str = "cpu") -> Path:
    (root / folder).mkdir(parents=True)
    (root / folder / "cpu.cfs_quota_us").write_text(quota + "\n")
    (root / folder / "cpu.cfs_period_us").write_text(period + "\n")
    return root


@pytest.mark.parametrize(("cpu_max", "affinity", "expected"), [
    ("max 100000", 8, 8),          # no limit: the affinity mask decides
    ("150000 100000", 8, 2),       # 1.5 CPUs -> 2
    ("200000 100000", 8, 2),
    ("200001 100000", 8, 3),
    ("50000 100000", 8, 1),        # half a CPU still gets one
    ("1000 100000", 8, 1),
    ("400000 100000", 3, 3),       # a cpuset narrower than the quota wins
    ("800000 200000", 16, 4),      # another period
])
def test_cgroup_v2_quota(tmp_path: Path, cpu_max: str, affinity: int, expected: int) -> None:
    assert available_cpus(v2(tmp_path, cpu_max), affinity=affinity) == expected


@pytest.mark.parametrize(("quota", "period", "affinity", "expected"), [
    ("-1", "100000", 8, 8),        # no limit
    ("150000", "100000", 8, 2),
    ("100000", "100000", 8, 1),
    ("250000", "50000", 4, 4),     # 5 CPUs allowed, 4 in the mask
])
def test_cgroup_v1_quota(tmp_path: Path, quota: str, period: str, affinity: int, expected: int) -> None:
    assert available_cpus(v1(tmp_path, quota, period), affinity=affinity) == expected


def test_cgroup_v1_with_cpuacct_in_the_same_folder(tmp_path: Path) -> None:
    assert available_cpus(v1(tmp_path, "300000", folder="cpu,cpuacct"), affinity=8) == 3


def test_v2_is_read_before_v1(tmp_path: Path) -> None:
    v1(tmp_path, "400000")
    v2(tmp_path, "100000 100000")
    assert available_cpus(tmp_path, affinity=8) == 1


def test_hybrid_host_with_an_empty_unified_hierarchy_uses_v1(tmp_path: Path) -> None:
    (tmp_path / "unified").mkdir()  # the v2 mount of a hybrid host: no cpu.max at the root we read
    assert available_cpus(v1(tmp_path, "200000"), affinity=8) == 2


@pytest.mark.parametrize("content", ["", "garbage", "max", "abc 100000", "100000 0", "0 100000"])
def test_unreadable_or_zero_quota_means_no_limit(tmp_path: Path, content: str) -> None:
    assert available_cpus(v2(tmp_path, content), affinity=6) == 6


def test_no_cgroup_files_at_all(tmp_path: Path) -> None:
    assert available_cpus(tmp_path / "missing", affinity=5) == 5


def test_never_below_one(tmp_path: Path) -> None:
    assert available_cpus(tmp_path, affinity=0) == 1


def test_default_affinity_is_this_process_mask(tmp_path: Path) -> None:
    assert available_cpus(tmp_path) == len(os.sched_getaffinity(0))
    assert available_cpus(v2(tmp_path, "100000 100000")) == 1


def test_this_machine() -> None:
    # whatever the host, the answer is a usable worker count within the mask
    assert 1 <= available_cpus() <= len(os.sched_getaffinity(0))
