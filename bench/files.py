"""A 10-page DOCX through POST /v1/translate/file against its plain text through POST /v1/translate, paired.

The DOCX is tests/data/files/docx/14-ten-pages.docx (about 30,000 characters, a bold word in every paragraph);
its plain text is the file's visible text (what /v1/analyze/file reports as source_visible_text). One real
gunicorn server over the fixture model, caches off (every request translates), requests alternating
file/text so that both see the same machine load; the ratio is the median of the per-pair ratios.

    .venv/bin/python bench/files.py [--pairs 7]      (make bench-files)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOCX = ROOT / "tests" / "data" / "files" / "docx" / "14-ten-pages.docx"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    from service.core.files import open_file
    from service.core.packages import install_archive
    from tests.conftest import FIXTURE_MODEL
    from tests.server import Server

    data = DOCX.read_bytes()
    text = open_file(data, DOCX.name)[1].visible_text
    work = Path(tempfile.mkdtemp(prefix="ponte-bench-files-"))
    install_archive(FIXTURE_MODEL, work / "packages")
    server = Server(work / "packages", work / "server.log", PONTE_CACHE_SIZE="0", PONTE_CACHE_BYTES="0",
                    PONTE_DOCUMENT_CACHE_BYTES="0", PONTE_WORKERS="1")
    server.start()
    try:
        def file_call() -> float:
            started = time.perf_counter()
            response = requests.post(server.url + "/v1/translate/file", files={"file": (DOCX.name, data)},
                                     data={"source_language": "pt"}, timeout=600)
            assert response.status_code == 200, response.text[:300]
            return time.perf_counter() - started

        def text_call() -> float:
            started = time.perf_counter()
            response = requests.post(server.url + "/v1/translate", json={"text": text, "source_language": "pt"},
                                     timeout=600)
            assert response.status_code == 200, response.text[:300]
            return time.perf_counter() - started

        file_call(), text_call()  # warm-up
        pairs = []
        for index in range(args.pairs):
            first, second = (file_call, text_call) if index % 2 == 0 else (text_call, file_call)
            a, b = first(), second()
            file_s, text_s = (a, b) if first is file_call else (b, a)
            pairs.append((file_s, text_s))
    finally:
        server.stop()
    ratios = [f / t for f, t in pairs]
    print(f"DOCX {len(data)} bytes, {len(text)} characters of text; {args.pairs} pairs, alternating order")
    print("| request | median s | min s |")
    print("|---|---|---|")
    print(f"| POST /v1/translate/file (DOCX) | {statistics.median(f for f, _ in pairs):.2f} | "
          f"{min(f for f, _ in pairs):.2f} |")
    print(f"| POST /v1/translate (its text) | {statistics.median(t for _, t in pairs):.2f} | "
          f"{min(t for _, t in pairs):.2f} |")
    print(f"file/text ratio: median {statistics.median(ratios):.3f}, pairs {', '.join(f'{r:.3f}' for r in ratios)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
