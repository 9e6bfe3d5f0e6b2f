"""Which library for which file format: what each candidate adds to the runtime virtualenv, and what a load and
save of the corpus (tests/data/files) does to the files, against ponte's own zip+lxml / splicing layouts.

Each candidate is installed with pip into a folder of its own (its size is that folder, dependencies included);
then, in a subprocess, every corpus file of its format is opened and saved unchanged through the library's
public API, and the script counts the files whose zip members (or bytes) changed, and the share of the words
of ponte's visible text the library's public text API reaches (DOCX, PPTX). Needs the package index.

    .venv/bin/python bench/files_libraries.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "files"
CANDIDATES = {"docx": "python-docx==1.2.0", "pptx": "python-pptx==1.0.2", "odt": "odfpy==1.4.1",
              "epub": "ebooklib==0.20", "srt": "srt==3.5.3", "vtt": "webvtt-py==0.6.0", "po": "polib==1.2.0",
              "xliff": "translate-toolkit==3.20.4", "pdf": "pypdfium2==5.15.2", "lxml": "lxml==6.1.3",
              "pypdf": "pypdf==7.1.0"}

PROBE = r'''
import io, json, re, sys, zipfile
from pathlib import Path
kind, paths = sys.argv[1], sys.argv[2:]
out = []
def words(text): return set(re.findall(r"\w+", text))
for name in paths:
    data = Path(name).read_bytes(); saved = None; text = ""
    try:
        if kind == "docx":
            import docx
            d = docx.Document(io.BytesIO(data))
            parts = [p.text for p in d.paragraphs]
            parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
            for s in d.sections:
                parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
            text = "\n".join(parts); b = io.BytesIO(); d.save(b); saved = b.getvalue()
        elif kind == "pptx":
            import pptx
            p = pptx.Presentation(io.BytesIO(data)); parts = []
            for slide in p.slides:
                for shape in slide.shapes:
                    if shape.has_text_frame: parts.append(shape.text_frame.text)
                if slide.has_notes_slide: parts.append(slide.notes_slide.notes_text_frame.text)
            text = "\n".join(parts); b = io.BytesIO(); p.save(b); saved = b.getvalue()
        elif kind == "odt":
            from odf.opendocument import load
            from odf import teletype, text as odftext
            d = load(io.BytesIO(data))
            text = "\n".join(teletype.extractText(p) for p in d.getElementsByType(odftext.P))
            b = io.BytesIO(); d.save(b); saved = b.getvalue()
        elif kind == "epub":
            import ebooklib, tempfile, os
            from ebooklib import epub
            tmp = tempfile.mkdtemp(); src = os.path.join(tmp, "a.epub"); Path(src).write_bytes(data)
            book = epub.read_epub(src); dst = os.path.join(tmp, "b.epub"); epub.write_epub(dst, book)
            saved = Path(dst).read_bytes()
        elif kind == "srt":
            import srt
            saved = srt.compose(list(srt.parse(data.decode("utf-8-sig")))).encode()
        elif kind == "vtt":
            import webvtt
            v = webvtt.from_string(data.decode()); saved = v.content.encode()
        elif kind == "po":
            import polib
            saved = polib.pofile(data.decode()).__unicode__().encode()
        elif kind == "xliff":
            from translate.storage import xliff
            store = xliff.xlifffile(data); saved = bytes(store)
    except Exception as exc:
        out.append({"file": Path(name).name, "error": f"{type(exc).__name__}: {exc}"[:120]}); continue
    if data[:2] == b"PK":
        a, b2 = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(saved))
        changed = sorted(n for n in a.namelist() if n not in b2.namelist() or a.read(n) != b2.read(n))
        added = sorted(set(b2.namelist()) - set(a.namelist()))
        out.append({"file": Path(name).name, "changed": changed, "added": added, "words": sorted(words(text))})
    else:
        out.append({"file": Path(name).name, "identical": saved == data})
print(json.dumps(out))
'''


def size_kb(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from service.core.files import open_file

    work = Path(tempfile.mkdtemp(prefix="ponte-libs-"))
    sizes = {}
    for key, requirement in CANDIDATES.items():
        target = work / key
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target",
                        str(target), requirement], check=True, capture_output=True)
        sizes[key] = size_kb(target)
    print("| candidate | installed with its dependencies |\n|---|---|")
    for key, requirement in CANDIDATES.items():
        print(f"| {requirement} | {sizes[key] / 1024:.1f} MB |")
    print("\n| format | library | files | files whose saved copy changed | parts changed (mean) | "
          "words of the text the library's API reaches |\n|---|---|---|---|---|---|")
    for kind in ("docx", "pptx", "odt", "epub", "srt", "vtt", "po", "xliff"):
        folder = "odt" if kind == "odt" else kind
        paths = sorted(str(p) for p in (CORPUS / folder).iterdir())
        result = subprocess.run([sys.executable, "-c", PROBE, kind, *paths], capture_output=True, text=True,
                                env={"PYTHONPATH": str(work / kind)}, timeout=600)
        try:
            rows = json.loads(result.stdout)
        except json.JSONDecodeError:
            print(f"| {kind} | {CANDIDATES[kind]} | failed: {result.stderr.strip()[-200:]} |")
            continue
        errors = [r for r in rows if "error" in r]
        ok = [r for r in rows if "error" not in r]
        if ok and "changed" in ok[0]:
            changed_files = sum(1 for r in ok if r["changed"] or r["added"])
            mean_parts = sum(len(r["changed"]) + len(r["added"]) for r in ok) / max(len(ok), 1)
            reach = []
            if kind in ("docx", "pptx"):
                for r in ok:
                    ours = set(re.findall(r"\w+", open_file(Path(CORPUS / folder / r["file"]).read_bytes(),
                                                            r["file"])[1].visible_text))
                    reach.append(len(ours & set(r["words"])) / max(len(ours), 1))
            shown = f"{100 * sum(reach) / len(reach):.0f}%" if reach else "-"
            print(f"| {kind} | {CANDIDATES[kind]} | {len(rows)} ({len(errors)} failed to load) | {changed_files} | "
                  f"{mean_parts:.1f} | {shown} |")
        else:
            changed_files = sum(1 for r in ok if not r["identical"])
            print(f"| {kind} | {CANDIDATES[kind]} | {len(rows)} ({len(errors)} failed to load) | {changed_files} | - "
                  "| - |")
        for r in errors[:2]:
            print(f"|  | {r['file']}: {r['error']} | | | | |")
    print(json.dumps({"sizes_kb": sizes}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
