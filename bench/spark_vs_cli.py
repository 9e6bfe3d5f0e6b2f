"""Documents/s of `python -m service analyze` (1 process; 2 shards) and of service/spark.py (local[1], local[2])
on the same file and package, with the peak memory of each worker process.

    make bench-spark                       # or: .venv/bin/python bench/spark_vs_cli.py --docs 1000
    .venv/bin/python bench/spark_vs_cli.py --model path/to/other.argosmodel

The workload is bench/workload_pt.jsonl repeated to --docs lines (ids made unique). Both of ponte's caches are off
(PONTE_CACHE_SIZE=0, PONTE_DOCUMENT_CACHE_CHARS=0): repeated texts would otherwise measure cache hits. Every layout
runs in fresh processes, so each time includes starting Python and loading the model; Spark's session start-up
(with a warm-up job that builds no model) is reported apart from its job time. The machine is shared: the load
average is printed with every row.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKLOAD = ROOT / "bench" / "workload_pt.jsonl"
FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_workload(path: Path, docs: int) -> int:
    items = [json.loads(line) for line in WORKLOAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as f:
        for i in range(docs):
            # only the request's fields: the workload's notes (variant, sentences) would be refused as unknown
            item = {"id": f"doc-{i:05d}", "text": items[i % len(items)]["text"]}
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    return docs


def env_for(packages: Path, inter_threads: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    env.update({"PONTE_PACKAGES_DIR": str(packages), "PONTE_CACHE_SIZE": "0", "PONTE_DOCUMENT_CACHE_CHARS": "0",
                "PONTE_INTER_THREADS": str(inter_threads), "OMP_NUM_THREADS": "1", "PONTE_LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT)})
    return env


def run_cli(packages: Path, shards: list[Path], out_dir: Path, threads: int) -> tuple[float, list[int]]:
    """Seconds for all shards (run at once, one process each) and each process's peak RSS in MB."""
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "service", "analyze", "--input", str(shard), "--output",
                               str(out_dir / f"out-{k}.jsonl"), "--threads", str(threads), "--no-progress"],
                              cwd=ROOT, env=env_for(packages, threads), stderr=subprocess.DEVNULL)
             for k, shard in enumerate(shards)]
    peaks = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        assert proc.returncode in (0, 1), proc.returncode
        peaks.append(usage.ru_maxrss // 1024)
    for k in range(len(shards)):
        with (out_dir / f"out-{k}.jsonl").open(encoding="utf-8") as f:
            failed = sum("error" in json.loads(line) for line in f)
        assert failed == 0, f"{failed} documents failed"
    return time.perf_counter() - started, peaks


def slots_of(master: str) -> int:
    return int(master.removeprefix("local[").removesuffix("]"))


def vm_hwm_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def pandas_udf_variant(df: Any, chunk_size: int) -> Any:
    """The road not taken, for the comparison: a pandas_udf over the column (same worker engines, same chunks)."""
    from collections.abc import Iterator

    import pandas as pd
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from service.spark import _encode, _worker_settings, analyze_rows, model_loads, spark_type, worker_engines

    returns = T.StructType([T.StructField("result", T.StringType()),
                            T.StructField("worker", spark_type({"pid": "long", "model_loads": "long"}))])

    def analyze(batches: Iterator[pd.Series]) -> Iterator[pd.DataFrame]:
        engines = worker_engines(_worker_settings(None, None))
        for values in batches:
            objs = analyze_rows(values.tolist(), None, engines, input="json", chunk_size=chunk_size)
            yield pd.DataFrame({"result": [_encode(o) for o in objs],
                                "worker": [{"pid": os.getpid(), "model_loads": model_loads()}] * len(objs)})

    # pyspark reads the UDF kind from the hints, which `from __future__ import annotations` leaves as strings
    analyze.__annotations__ = {"batches": Iterator[pd.Series], "return": Iterator[pd.DataFrame]}
    udf = F.pandas_udf(analyze, returns)
    return df.withColumn("out", udf("value")).select("value", "out.result", "out.worker")


def spark_child(args: argparse.Namespace) -> None:
    """One Spark layout in this process (a fresh JVM): prints a JSON line of its figures."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from service.spark import analyze_column

    slots = slots_of(args.spark_child)
    t0 = time.perf_counter()
    spark = (SparkSession.builder.master(args.spark_child).appName("ponte-bench")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", "1g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    # a warm-up job starts what a long-lived session has running already (JVM code paths, the Python worker
    # daemon, pandas and pyarrow in the workers); ponte's engines are not built by it, they load in the job
    warm = spark.range(4 * slots).repartition(2 * slots)
    warm.mapInPandas(lambda batches: batches, warm.schema).count()
    startup = time.perf_counter() - t0
    t1 = time.perf_counter()
    # two contiguous splits of the file per slot (a shuffle would put copies of one passage into one chunk,
    # where the pipeline translates identical sentences once, and flatter Spark)
    size = Path(args.input).stat().st_size
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(size // (2 * slots) + 1))
    df = spark.read.text(args.input)
    if args.mechanism == "mapInPandas":
        result = analyze_column(df, "value", input="json", output="json", chunk_size=args.chunk_size,
                                result_col="result", worker_col="worker")
    else:
        result = pandas_udf_variant(df, args.chunk_size)
    result.write.mode("overwrite").json(args.output)
    job = time.perf_counter() - t1
    written = spark.read.json(args.output)
    rows = written.count()
    failed = written.filter(F.get_json_object("result", "$.error").isNotNull()).count()
    pids = [r["pid"] for r in written.select("worker.pid").distinct().collect()]
    loads = sorted({r["model_loads"] for r in written.select("worker.model_loads").collect()})
    jvm = spark.sparkContext._gateway.proc.pid
    print(json.dumps({"startup": startup, "job": job, "rows": rows, "failed": failed,
                      "partitions": df.rdd.getNumPartitions(), "workers": {p: vm_hwm_mb(p) for p in pids},
                      "loads": loads, "jvm_mb": vm_hwm_mb(jvm)}))
    spark.stop()


def run_spark(packages: Path, master: str, source: Path, out_dir: Path, chunk_size: int,
              mechanism: str) -> dict[str, Any]:
    slots = slots_of(master)
    env = env_for(packages, max(1, 2 // slots))
    env.update({"PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
                "SPARK_LOCAL_IP": "127.0.0.1"})
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--spark-child", master, "--input", str(source),
                           "--output", str(out_dir / f"spark-{slots}"), "--chunk-size", str(chunk_size),
                           "--mechanism", mechanism],
                          env=env, capture_output=True, text=True, check=False, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["total"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--model", type=Path, default=FIXTURE)
    parser.add_argument("--chunk-size", type=int, default=32)
    parser.add_argument("--only", choices=["cli", "spark"], default=None)
    parser.add_argument("--mechanism", choices=["mapInPandas", "pandas_udf", "both"], default="mapInPandas",
                        help="how Spark calls ponte: service/spark.py's mapInPandas, or a pandas_udf variant")
    parser.add_argument("--spark-child", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.spark_child:
        spark_child(args)
        return

    from service.core.packages import install_archive

    with tempfile.TemporaryDirectory(prefix="ponte-bench-spark-") as tmp:
        work = Path(tmp)
        packages = work / "packages"
        install_archive(args.model, packages)
        source = work / "in.jsonl"
        docs = make_workload(source, args.docs)
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        half = len(lines) // 2
        shards = [work / "shard-0.jsonl", work / "shard-1.jsonl"]
        shards[0].write_text("".join(lines[:half]), encoding="utf-8")
        shards[1].write_text("".join(lines[half:]), encoding="utf-8")
        print(f"{docs} documents, model {args.model.name}, chunk {args.chunk_size}, {os.cpu_count()} CPUs")
        print("| layout | seconds | documents/s | peak RSS per worker (MB) | load avg before |")
        print("|---|---|---|---|---|")
        if args.only in (None, "cli"):
            before = load()
            seconds, peaks = run_cli(packages, [source], work, threads=2)
            print(f"| CLI, 1 process x 2 threads | {seconds:.1f} | {docs / seconds:.1f} | {peaks} | {before} |")
            before = load()
            seconds, peaks = run_cli(packages, shards, work, threads=1)
            print(f"| CLI, 2 shards x 1 thread | {seconds:.1f} | {docs / seconds:.1f} | {peaks} | {before} |")
        if args.only in (None, "spark"):
            mechanisms = ["mapInPandas", "pandas_udf"] if args.mechanism == "both" else [args.mechanism]
            for master in ("local[1]", "local[2]"):
                for mechanism in mechanisms:
                    before = load()
                    f = run_spark(packages, master, source, work, args.chunk_size, mechanism)
                    assert f["rows"] == docs and f["failed"] == 0 and f["loads"] == [1], f
                    print(f"| Spark {master} {mechanism}, job only (start-up {f['startup']:.1f} s apart) | "
                          f"{f['job']:.1f} | {docs / f['job']:.1f} | {sorted(f['workers'].values())} "
                          f"(JVM {f['jvm_mb']}) | {before} |")
                    print(f"| Spark {master} {mechanism}, with start-up | {f['startup'] + f['job']:.1f} | "
                          f"{docs / (f['startup'] + f['job']):.1f} | | |")
        print(f"load avg after: {load()}")


if __name__ == "__main__":
    main()
