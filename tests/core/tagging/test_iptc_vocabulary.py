"""read_vocabulary on a small TSV written here: release line, comments, header check, tabs and quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.tagging.iptc import read_vocabulary

HEADER = "code\tbroader\tretired\tlabel_en\tlabel_pt_br\tlabel_pt_pt"


def tsv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "topics.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_small_vocabulary(tmp_path: Path) -> None:
    path = tsv(tmp_path, "# a comment", "# Release: NewsCodes: 2025-03-31", HEADER,
               "medtop:1\t\t\tscience, technology\t\"ciência\" e tecnologia\tciência",
               "# a comment between rows",
               "medtop:2\tmedtop:1\t2024-01-01\tAI\tIA\tIA")
    vocabulary = read_vocabulary(path)
    assert vocabulary.release == "NewsCodes: 2025-03-31"  # everything after the first colon
    assert set(vocabulary.concepts) == {"medtop:1", "medtop:2"}
    first = vocabulary.concepts["medtop:1"]
    # tab-separated, quotes kept as written (no CSV quoting), a comma inside a label
    assert (first.label, first.label_pt_br, first.label_pt_pt) == ("science, technology", '"ciência" e tecnologia',
                                                                  "ciência")
    second = vocabulary.concepts["medtop:2"]
    assert (second.code, second.broader, second.retired) == ("medtop:2", "medtop:1", "2024-01-01")
    assert vocabulary.ancestors("medtop:2") == ("medtop:1",)


def test_no_release_line_is_an_empty_release(tmp_path: Path) -> None:
    assert read_vocabulary(tsv(tmp_path, HEADER, "medtop:1\t\t\tA\tA\tA")).release == ""


def test_a_wrong_header_names_the_columns(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="the header is not code broader retired label_en label_pt_br label_pt_pt"):
        read_vocabulary(tsv(tmp_path, "code\tlabel", "medtop:1\tA"))
