"""The benchmark tools (bench/): results sections, the load generator, the profile's stages and flame graph, the
engine observer and the Argos-size model builder. Speed is never asserted here: these test that the tools
measure what they say."""

from __future__ import annotations

import http.server
import importlib.util
import inspect
import json
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(path: Path) -> ModuleType:
    """A script of bench/ or tools/ as a module, without putting those folders on sys.path (their names are
    generic: load, results, formats)."""
    spec = importlib.util.spec_from_file_location(f"bench_tools_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _script(ROOT / "bench" / "load.py")
rp = _script(ROOT / "bench" / "request_profile.py")
results = _script(ROOT / "bench" / "results.py")

FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"


# ------------------------------------------------------------------------------------------------ results


def test_a_section_is_added_before_the_notes_then_replaced_in_place() -> None:
    text = "# Benchmark results\n\nhead\n\n## Notes\n\nhand-written\n"
    once = results.replace_section(text, "peer", "## Peer\n\nratio 1.2")
    assert once.index("<!-- section:peer -->") < once.index("## Notes")
    twice = results.replace_section(once, "peer", "## Peer\n\nratio 1.5")
    assert "ratio 1.5" in twice and "ratio 1.2" not in twice
    assert twice.count("<!-- section:peer -->") == 1 and twice.endswith("hand-written\n")


def test_the_sections_of_other_benchmarks_survive_a_new_head() -> None:
    old = results.replace_section("# Benchmark results\n\nold head\n\n## Notes\n\nnotes\n", "peer", "peer body")
    old = results.replace_section(old, "argos-size", "argos body")
    kept = results.kept_sections(old[:old.index("## Notes")])
    assert "peer body" in kept and "argos body" in kept and "old head" not in kept


def test_a_new_head_keeps_the_other_sections_and_the_notes(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\nold head\n\n## Notes\n\nhand-written\n", encoding="utf-8")
    results.write_section("peer", "peer body", path)
    results.write_head("# Benchmark results\n\nnew head", path)  # what make bench does
    text = path.read_text(encoding="utf-8")
    assert "old head" not in text and "peer body" in text and text.endswith("## Notes\n\nhand-written\n")
    assert text.index("new head") < text.index("peer body") < text.index("## Notes")
    results.write_head("# Benchmark results\n\nnewer head", path)
    assert path.read_text(encoding="utf-8").count("peer body") == 1


# ------------------------------------------------------------------------------------------------ load generator


class _Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []  # noqa: RUF012 (class-level record of the bodies received)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Echo.seen.append(body["text"])
        status = 500 if body["text"].startswith("fail") else 200
        data = json.dumps({"translation": {"text": body["text"].upper()}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def echo() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Echo.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_load_sends_every_text_in_turn_with_a_nonce_and_counts_successes(echo: str) -> None:
    result = load.run_load(echo, "/v1/analyze", ["um", "dois\ntrês"], template={"text": "{text}"},
                           expect_field="translation.text", concurrency=2, requests=6, warmup=0)
    assert (result["ok"], result["errors"], result["requests"]) == (6, 0, 6)
    assert sorted("\n".join(line.rstrip(" ") for line in t.split("\n")) for t in _Echo.seen) == (
        ["dois\ntrês"] * 3 + ["um"] * 3)
    assert len(set(_Echo.seen)) == 6  # every request differs by its trailing spaces (raw-string caches miss)
    assert all(line.endswith(" ") for t in _Echo.seen for line in t.split("\n"))
    assert result["chars_per_s"] > 0 and result["latency_ms"]["p50"] is not None


def test_load_counts_failed_and_empty_answers_as_errors(echo: str) -> None:
    failing = load.run_load(echo, "/x", ["fail now"], template={"text": "{text}"}, requests=3, warmup=0)
    assert (failing["ok"], failing["errors"]) == (0, 3)
    assert "HTTP 500" in failing["error_samples"][0]
    missing = load.run_load(echo, "/x", ["ok"], template={"text": "{text}"}, expect_field="translatedText",
                            requests=2, warmup=0)
    assert missing["errors"] == 2


def test_load_refuses_a_target_off_this_machine() -> None:
    with pytest.raises(SystemExit):
        load.check_loopback("192.0.2.1")


# ------------------------------------------------------------------------------------------------ profile

PYSPY_RAW = [
    # a worker's request thread in the engine (through the observer), in SentencePiece, in repair
    'process 10:"gunicorn";process 11:"gunicorn";thread (12): ThreadPoolExecutor-0_0;'
    "Thread._bootstrap (/usr/lib/python3.11/threading.py:1002);"
    "BufferingThreadWorker.handle (/repo/service/web/worker.py:200);"
    "Flask.wsgi_app (/v/lib/python3.11/site-packages/flask/app.py:1511);"
    "ArgosTranslator._decode (/repo/service/core/translate/engine.py:190);"
    "_AsyncResult.result (/repo/bench/hooks/sitecustomize.py:70);"
    "ctranslate2_wait (/repo/bench/hooks/sitecustomize.py:60) 50",
    'process 10:"gunicorn";process 11:"gunicorn";thread (12): ThreadPoolExecutor-0_0;'
    "BufferingThreadWorker.handle (/repo/service/web/worker.py:200);"
    "ArgosTranslator.translate_scored (/repo/service/core/translate/engine.py:150);"
    "SentencePieceProcessor.Encode (/v/lib/python3.11/site-packages/sentencepiece/__init__.py:500) 7",
    'process 10:"gunicorn";process 11:"gunicorn";thread (12): ThreadPoolExecutor-0_0;'
    "BufferingThreadWorker.handle (/repo/service/web/worker.py:200);"
    "ArgosTranslator._repair (/repo/service/core/translate/engine.py:230);"
    "ArgosTranslator._decode (/repo/service/core/translate/engine.py:190);"
    "ctranslate2_call (/repo/bench/hooks/sitecustomize.py:55) 20",
    # a follower waiting for the leader's shared engine call
    'process 10:"gunicorn";process 11:"gunicorn";thread (13): ThreadPoolExecutor-0_1;'
    "BufferingThreadWorker.handle (/repo/service/web/worker.py:200);"
    "BatchingTranslator.translate_scored (/repo/service/core/batching.py:90);"
    "Condition.wait (/usr/lib/python3.11/threading.py:320) 30",
    # the event loop waiting on its sockets, a pool thread waiting for work: idle
    'process 10:"gunicorn";process 11:"gunicorn";thread (11): MainThread;'
    "BufferingThreadWorker.init_process (/repo/service/web/worker.py:140);"
    "ThreadWorker.run (/v/lib/python3.11/site-packages/gunicorn/workers/gthread.py:200);"
    "EpollSelector.select (/usr/lib/python3.11/selectors.py:468) 400",
    'process 10:"gunicorn";process 11:"gunicorn";thread (14): ThreadPoolExecutor-0_2;'
    "Thread._bootstrap (/usr/lib/python3.11/threading.py:1002);"
    "_worker (/usr/lib/python3.11/concurrent/futures/thread.py:81) 300",
    # request parsing (a marshmallow load) and response shaping (a marshmallow dump)
    'process 10:"gunicorn";process 11:"gunicorn";thread (12): ThreadPoolExecutor-0_0;'
    "translate (/repo/service/web/api/analysis.py:40);Schema.load (/v/site-packages/marshmallow/schema.py:700);"
    "Schema._do_load (/v/site-packages/marshmallow/schema.py:800) 3",
    'process 10:"gunicorn";process 11:"gunicorn";thread (12): ThreadPoolExecutor-0_0;'
    "translate (/repo/service/web/api/analysis.py:41);Schema.dump (/v/site-packages/marshmallow/schema.py:500);"
    "Nested._serialize (/v/site-packages/marshmallow/fields.py:600);"
    "Schema.__init__ (/v/site-packages/marshmallow/schema.py:400) 4",
]


def test_profile_stages_follow_the_rules_in_order() -> None:
    samples = rp.read_folded(PYSPY_RAW)
    assert samples[0].process == "process 11" and samples[0].thread == "thread (12)"
    assert samples[0].frames[2].file == "flask/app.py"  # site-packages prefix cut
    stages = [rp.stage_of(s.frames) if rp.in_request(s.frames) else None for s in samples]
    assert stages == ["engine (CTranslate2)", "SentencePiece (and its cache)", "repair (re-decode + rescore)",
                      "engine: waiting for a shared call", None, None, "body parse / format", "JSON response"]


def test_profile_breakdown_leaves_idle_threads_out_and_the_svg_is_coloured_by_stage(tmp_path: Path) -> None:
    samples = rp.read_folded(PYSPY_RAW)
    result = rp.breakdown(samples)
    assert result.outside == 700 and result.total == 50 + 7 + 20 + 30 + 3 + 4
    svg = rp.flame_svg(samples, "test")
    tree = ET.fromstring(svg)
    titles = [t.text or "" for t in tree.iter("{http://www.w3.org/2000/svg}title")]
    assert any(t.startswith("ctranslate2_wait (") and ": 50 samples" in t and t.endswith("engine (CTranslate2)")
               for t in titles)
    assert not any("EpollSelector" in t for t in titles)  # idle samples are not drawn
    folded = tmp_path / "c1.folded"
    rp.write_folded(samples, folded)
    again = rp.read_folded(folded.read_text().splitlines())
    assert rp.breakdown(again).stages == result.stages


def test_profile_histogram_counts_the_batches_ctranslate2_runs() -> None:
    calls = [{"op": "translate_batch", "beam": 4, "examples": 5, "max_batch_size": 2},
             {"op": "translate_batch", "beam": 4, "examples": 1, "max_batch_size": 3},
             {"op": "score_batch", "beam": None, "examples": 3, "max_batch_size": 1}]
    table = "\n".join(rp.histogram_table(calls, requests=2))
    assert "translate_batch (beam 4): 4 batches, 6 examples" in table  # 5 in batches of 2: 2+2+1, then 1
    assert "| 1 | 2 | 50% | 2 | 33% |" in table and "| 2 | 2 | 50% | 4 | 67% |" in table
    assert "score_batch: 3 batches, 3 examples" in table


# ------------------------------------------------------------------------------------------------ engine observer

_TRANSLATE = """
import json, sys, zipfile, tempfile, pathlib
import ctranslate2, sentencepiece
folder = pathlib.Path(tempfile.mkdtemp())
zipfile.ZipFile(sys.argv[1]).extractall(folder)
package = next(folder.iterdir())
sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
translator = ctranslate2.Translator(str(package / "model"), inter_threads=2)
pieces = sp.encode(["O pacote %s não está instalado.", "Abrir arquivo", "Cancelar"], out_type=str)
sync = translator.translate_batch(pieces, beam_size=4, max_decoding_length=30)
called = set()
sys.setprofile(lambda frame, event, arg: called.add(frame.f_code.co_name) if event == "call" else None)
pending = translator.translate_batch(pieces[:2], beam_size=2, max_batch_size=1, asynchronous=True)
waited = [p.result().hypotheses[0] for p in pending]
sys.setprofile(None)
scores = translator.score_batch(pieces[:1], [["▁Package"]])
print(json.dumps({"type": type(translator).__module__, "sync": [r.hypotheses[0] for r in sync],
                  "async": waited, "done": pending[0].done(),
                  "engine_frames": sorted(called & {"ctranslate2_call", "ctranslate2_wait"}),
                  "score": scores[0].log_probs, "replicas": translator.num_translators,
                  "lengths": [len(p) for p in pieces]}))
"""


@pytest.mark.slow
def test_the_engine_observer_logs_every_call_and_changes_no_result(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BENCH_ENGINE_LOG_DIR")}
    env["OMP_NUM_THREADS"] = "1"
    plain = subprocess.run([sys.executable, "-c", _TRANSLATE, str(FIXTURE)], env=env, capture_output=True,
                           text=True, check=True, timeout=120)
    observed = subprocess.run([sys.executable, "-c", _TRANSLATE, str(FIXTURE)], capture_output=True, text=True,
                              check=True, timeout=120,
                              env={**env, "PYTHONPATH": str(ROOT / "bench" / "hooks"),
                                   "BENCH_ENGINE_LOG_DIR": str(tmp_path)})
    before, after = json.loads(plain.stdout), json.loads(observed.stdout)
    assert before["type"] == "ctranslate2._ext" and after["type"] == "sitecustomize"  # really observed
    # the engine's time passes through the two functions the profile recognises: the call and the wait
    assert (before["engine_frames"], after["engine_frames"]) == ([], ["ctranslate2_call", "ctranslate2_wait"])
    ignored = ("type", "engine_frames")
    assert {k: v for k, v in after.items() if k not in ignored} == {k: v for k, v in before.items() if k not in ignored}
    (log,) = tmp_path.glob("engine-*.jsonl")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["op"], r["examples"], r["beam"], r["max_batch_size"], r["asynchronous"]) for r in records] == [
        ("translate_batch", 3, 4, None, False), ("translate_batch", 2, 2, 1, True), ("score_batch", 1, None, None,
                                                                                      False)]
    assert records[0]["bound"] == 30
    assert (records[0]["tokens"], records[0]["max_tokens"]) == (sum(after["lengths"]), max(after["lengths"]))


# ------------------------------------------------------------------------------------------------ Argos-size model


def test_the_argos_size_builder_writes_a_real_package_that_never_ends_a_sentence(tmp_path: Path) -> None:
    import ctranslate2
    import sentencepiece

    from service.core.packages import install_archive

    builder = _script(ROOT / "tools" / "build_argos_size_model.py")
    out = builder.build(tmp_path / "small.argosmodel", layers=1, d_model=64, heads=2, ffn=128)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert {n.split("/")[0] for n in names} == {builder.NAME}
    package = install_archive(out, tmp_path / "packages")
    config = json.loads((package.model_dir / "config.json").read_text())
    assert config["add_source_eos"] is False
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    translator = ctranslate2.Translator(str(package.model_dir))
    pieces = sp.encode(["Uma frase curta.", "Outra frase, um pouco mais longa do que a primeira."], out_type=str)
    out_batch = translator.translate_batch(pieces, beam_size=2, max_decoding_length=17, return_end_token=True)
    assert [len(r.hypotheses[0]) for r in out_batch] == [17, 17]  # every sentence runs to the bound
    assert all("</s>" not in r.hypotheses[0] for r in out_batch)
    # what the builder writes by default is the real packages' shape
    defaults = {k: v.default for k, v in inspect.signature(builder.build).parameters.items()}
    assert (defaults["layers"], defaults["d_model"], defaults["heads"], defaults["ffn"],
            defaults["quantization"]) == (6, 512, 8, 2048, "int8")
