"""The engine reference for the service benchmarks: the service's own engine class, without HTTP, detection,
masking or tagging, translating each text's sentences in one call (as the service does per request).

It runs in a fresh spawned process (CTranslate2 is not fork-safe, and the measuring process stays light),
with the decoding options the PONTE_* settings give (`env`), 1 process x `replicas` (inter_threads) x 1 intra
thread: the layout the service's workers use. It is the "engine, one text per call" of `make bench`.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def sentences_of(texts: list[str], language: str = "pt") -> list[list[str]]:
    """Each text's sentences, split as the service splits them."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from service.core.segment import split_sentences

    return [[s.text for s in split_sentences(text, language).sentences] for text in texts]


def _worker(package_dir: str, groups: list[list[str]], replicas: int, env: dict[str, str], repeats: int,
            queue: Any) -> None:
    sys.path.insert(0, str(ROOT))
    from service.settings import apply_process_defaults, load_settings

    apply_process_defaults()  # before CTranslate2 is imported
    from service.core.packages import check_package_dir
    from service.core.translate import ArgosTranslator
    from service.engines import decoding_options

    settings = load_settings(environ=env)
    translator = ArgosTranslator(check_package_dir(Path(package_dir)), decoding_options(settings),
                                 intra_threads=1, inter_threads=replicas)
    translator.translate(groups[0][:2])  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for group in groups:
            translator.translate(group)
        times.append(time.perf_counter() - started)
    queue.put(times)


def engine_seconds(package_dir: Path, groups: list[list[str]], *, replicas: int = 2, env: dict[str, str] | None = None,
                   repeats: int = 1, timeout: float = 1800.0) -> list[float]:
    """Wall seconds to translate every group (one engine call each), once per repeat, in a fresh process."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_worker, args=(str(package_dir), groups, replicas, env or {}, repeats, queue))
    process.start()
    try:
        times: list[float] = queue.get(timeout=timeout)
    finally:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()
            process.join()
    return times
