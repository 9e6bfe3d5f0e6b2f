"""service/spark.py's install of a shipped .argosmodel on an executor: once, then left alone (no pyspark needed)."""

from __future__ import annotations

from pathlib import Path

from service.core.packages import scan_packages
from service.spark import install_shipped_model


def test_shipped_model_is_installed_once(fixture_model: Path, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    install_shipped_model(fixture_model, packages)
    good, broken = scan_packages(packages)
    assert [p.from_code for p in good] == ["pt"] and broken == []
    model = next(packages.glob("*/model/model.bin"))
    before = model.stat().st_mtime_ns
    install_shipped_model(fixture_model, packages)  # a second Python worker of the same executor
    assert model.stat().st_mtime_ns == before
    assert len(list(packages.glob(".installed-*"))) == 1
