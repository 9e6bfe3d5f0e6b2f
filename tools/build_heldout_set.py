"""Build tests/data/heldout_pt_en.tsv: pt_BR/en pairs from Django's catalogs the test package never saw.

    pip download --no-deps django==5.2.19 -d /tmp/dj
    python tools/build_heldout_set.py /tmp/dj/django-5.2.19-py3-none-any.whl

The test package was trained on the Debian gettext catalogs under /usr/share/locale (pt_BR and pt);
any pair whose English or Portuguese side occurs there is left out, so the set is held out.
"""

from __future__ import annotations

import argparse
import gettext
import glob
import io
import logging
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "heldout_pt_en.tsv"
TRAINING_CATALOGS = ["/usr/share/locale/pt_BR/LC_MESSAGES/*.mo", "/usr/share/locale/pt/LC_MESSAGES/*.mo"]
log = logging.getLogger("build_heldout_set")


def catalog(data: bytes) -> dict[str, str]:
    """Singular msgid -> msgstr of one .mo file, header and plurals left out."""
    translations = gettext.GNUTranslations(io.BytesIO(data))
    pairs = translations._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in pairs.items() if isinstance(k, str) and k and v}


def normal(text: str) -> str:
    """Compare texts as the training script would see them: spacing and case ignored."""
    return " ".join(text.casefold().split())


def clean(text: str) -> str:
    """One line of plain text: catalogue markup that is not language dropped."""
    text = text.split("\x04")[-1]  # a msgctxt prefix
    return " ".join(text.replace("\t", " ").split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path)
    args = parser.parse_args()
    seen: set[str] = set()
    for pattern in TRAINING_CATALOGS:
        for path in glob.glob(pattern):
            for english, portuguese in catalog(Path(path).read_bytes()).items():
                seen.update((normal(english), normal(portuguese)))
    rows: dict[str, tuple[str, str, str]] = {}
    with zipfile.ZipFile(args.wheel) as wheel:
        for name in sorted(n for n in wheel.namelist() if re.search(r"/pt_BR/LC_MESSAGES/django(js)?\.mo$", n)):
            for english, portuguese in sorted(catalog(wheel.read(name)).items()):
                english, portuguese = clean(english), clean(portuguese)
                if not re.search(r"[A-Za-z]{2}", english) or "<" in english or "\n" in english:
                    continue
                if normal(english) in seen or normal(portuguese) in seen:
                    continue
                rows.setdefault(normal(portuguese), (portuguese, english, name.split("/locale/")[0]))
    lines = ["pt\ten\tdomain"] + ["\t".join(row) for row in rows.values()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log.warning("%d pairs -> %s", len(rows), OUT)
    return 0


if __name__ == "__main__":
    logging.basicConfig(format="%(message)s")
    raise SystemExit(main())
