"""Every translated file of the corpus opens in its format's reference reader (`make test-files`, which installs
them: tools/libreoffice_setup.sh). DOCX, ODT, PPTX and ODP: LibreOffice (`soffice --headless --convert-to pdf`),
whose PDF must show the translated text; EPUB: EPUBCheck, which must report no message the source did not
already have (LibreOffice 7.4 cannot open EPUB); PO: `msgfmt --check`; PDF input: pdftotext sees no word that
ponte's extraction missed. Skipped unless PONTE_READER_TESTS=1."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.core.detect import LanguageDetector
from service.core.files import open_file
from service.core.files.analyze import analyze_file
from service.core.models import ModelRegistry
from service.core.pipeline import Pipeline
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from tests.conftest import FakeFactory

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.environ.get("PONTE_READER_TESTS") != "1",
                                                   reason="needs LibreOffice and EPUBCheck: make test-files")]
CORPUS = Path(__file__).resolve().parents[2] / "data" / "files"
OFFICE = ("docx", "odt", "pptx", "odp")


@pytest.fixture(scope="module")
def translated(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every corpus file translated (fake engine: '[en] ' before each sentence) into one folder."""
    registry = ModelRegistry(packages_dir, "en", FakeFactory(), required=("pt",))
    registry.load_all()
    pipeline = Pipeline(LanguageDetector(), registry, Tagger(load_taxonomy(default_taxonomy_path())))
    out = tmp_path_factory.mktemp("translated")
    for path in sorted(CORPUS.rglob("*.*")):
        if path.suffix in (".md",) or "no-text" in path.name:
            continue
        result = analyze_file(pipeline, path.read_bytes(), path.name, source_language="pt")
        (out / path.parent.name).mkdir(exist_ok=True)
        (out / path.parent.name / result.file.name).write_bytes(result.file.content)
    yield out


def test_office_files_open_in_libreoffice_and_show_the_translation(translated: Path, tmp_path: Path) -> None:
    files = [str(p) for kind in OFFICE for p in sorted((translated / kind).iterdir())]
    assert len(files) >= 40
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *files],
                   check=True, capture_output=True, timeout=900)
    missing, untranslated = [], []
    for name in files:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        if not pdf.exists():
            missing.append(Path(name).name)
            continue
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        if "[en]" not in text:
            untranslated.append(Path(name).name)
    assert not missing, f"LibreOffice could not open {missing}"
    assert not untranslated, f"LibreOffice shows no translated text in {untranslated}"


def _epubcheck(path: Path) -> set[str]:
    result = subprocess.run(["java", "-jar", "/usr/bin/epubcheck", str(path)], capture_output=True, timeout=300)
    output = (result.stdout + result.stderr).decode(errors="replace")
    # the kind of each error and the part it is in (the messages quote the book's path as EPUBCheck shortens it,
    # positions and neighbouring elements)
    return {f"{match.group(1)} {match.group(2)}" for line in output.splitlines()
            if (match := re.match(r"((?:ERROR|FATAL)\(\w+-\d+\)): .*?\.epub/?([^:(]*)", line))}


def test_epubs_pass_epubcheck_as_well_as_their_sources(translated: Path) -> None:
    for source in sorted((CORPUS / "epub").iterdir()):
        output = translated / "epub" / source.name.replace(".epub", ".en.epub")
        assert _epubcheck(output) <= _epubcheck(source), source.name


def test_po_catalogues_pass_msgfmt_check(translated: Path, tmp_path: Path) -> None:
    for po in sorted((translated / "po").iterdir()):
        result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)], capture_output=True)
        assert result.returncode == 0, (po.name, result.stderr.decode())


def test_pdf_extraction_misses_no_word_pdftotext_sees() -> None:
    for pdf in sorted((CORPUS / "pdf").iterdir()):
        if "no-text" in pdf.name:
            continue
        reference = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        _, layout = open_file(pdf.read_bytes(), pdf.name)
        ours = set(re.findall(r"\w+", layout.visible_text))
        theirs = set(re.findall(r"\w+", reference))
        missed = {w for w in theirs - ours if not any(w in o for o in ours)}  # "prote" of "prote-ção" is joined
        assert not missed, (pdf.name, sorted(missed)[:20])
