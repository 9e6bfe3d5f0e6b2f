"""A real local Spark session for the tests of service/spark.py; skipped unless pyspark is installed
(`make test-spark` builds a virtualenv with requirements-spark.txt)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server import ROOT


@pytest.fixture(scope="session")
def spark(packages_dir: Path) -> Iterator[Any]:
    """local[2,4]: two task slots, and a failed task is retried (up to 4 attempts) as on a cluster."""
    from pyspark.sql import SparkSession

    # The JVM and its Python workers inherit the environment: workers must run this interpreter, find the
    # repository's packages, and read the test's PONTE_* settings.
    os.environ.update({"PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
                       "SPARK_LOCAL_IP": "127.0.0.1", "OMP_NUM_THREADS": "1",
                       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    session = (SparkSession.builder.master("local[2,4]").appName("ponte-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "4")
               # several Arrow batches per partition, so a worker serves many batches with one model
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
