"""PDF (files/pdf.py): lines joined into paragraphs (paragraphs), the text layer read (extract_pages) from PDFs
written by hand in the test, the visible text and the text file written, and the errors with their messages."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader, PdfWriter

from service.core.files import EncryptedFileError, MalformedFileError, NoTextError, open_file
from service.core.files.pdf import PdfLayout, extract_pages, paragraphs

PASSWORD = "the PDF is password-protected; remove the password and send it again"


def _pdf(pages: list[list[str]], *, encrypt: bytes | None = None) -> bytes:
    """A PDF of Helvetica text, one row per string (ASCII), with a correct xref table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for rows in pages:
        body = b"BT /F1 12 Tf 14 TL 72 720 Td " + b" T* ".join(b"(%s) Tj" % row.encode() for row in rows) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1 + (encrypt is not None))
    if encrypt is not None:
        objects.append(encrypt)
        trailer += b" /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]" \
            % len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref))
    return out.getvalue()


# paragraphs: one page's extracted lines


def test_a_line_that_does_not_end_a_sentence_goes_on_in_the_next_one_after_a_space() -> None:
    assert paragraphs("Uma linha longa que ainda nao acaba aqui e\ncontinua na linha seguinte.") == \
        ["Uma linha longa que ainda nao acaba aqui e continua na linha seguinte."]


def test_a_word_hyphenated_at_the_end_of_a_line_is_joined_without_its_hyphen() -> None:
    assert paragraphs("Esta frase tem uma pala-\nvra partida ao meio.") == \
        ["Esta frase tem uma palavra partida ao meio."]


@pytest.mark.parametrize(("page", "expected"), [
    ("Escreva para o e-\nmail da empresa.", ["Escreva para o email da empresa."]),  # one letter before the hyphen
    ("A pala-\nvra, enfim.", ["A palavra, enfim."]),  # punctuation after the word's end
    # a word not all in lower case after the hyphen: the hyphen is the name's, kept, and no space is added
    ("A vacina anti-\nmRNA chegou.", ["A vacina anti-mRNA chegou."]),
    ("O modelo GPT-\n4o chegou.", ["O modelo GPT-4o chegou."]),
    ("O jogo Brasil-\nArgentina acabou.", ["O jogo Brasil-Argentina acabou."]),
    ("Entre 2023-\n2024 cresceu.", ["Entre 2023-2024 cresceu."]),
    ("O modelo X-\n4 chegou.", ["O modelo X-4 chegou."]),  # one character before the hyphen
    ("O modelo GPT-\n4, enfim.", ["O modelo GPT-4, enfim."]),  # one character before the punctuation
    ("A pagina 12-\nseguinte.", ["A pagina 12-seguinte."]),  # no letter before the hyphen: not a broken word
    # a dash after a space is punctuation: the lines are joined with a space
    ("O texto -\nsegue aqui.", ["O texto - segue aqui."]),
], ids=["one-letter-word", "punctuation-after", "lower-then-upper", "digit-then-lower", "two-names", "years",
        "one-character-name", "one-character-word", "digit-before-hyphen", "dash"])
def test_a_hyphen_joins_only_a_letter_and_a_lower_case_word(page: str, expected: list[str]) -> None:
    assert paragraphs(page) == expected


def test_a_short_line_that_ends_a_sentence_ends_its_paragraph() -> None:
    assert paragraphs("Introducao.\nEste paragrafo comeca depois do titulo curto da seccao\ne acaba aqui.") == \
        ["Introducao.", "Este paragrafo comeca depois do titulo curto da seccao e acaba aqui."]


@pytest.mark.parametrize(("first", "expected"), [
    # 34 characters is 85% of the longest line (40): not short, the paragraph goes on
    ("O estudo da equipa acabou em maio.",
     ["O estudo da equipa acabou em maio. Os resultados chegam na semana seguinte."]),
    # 33 characters is under 85%: short, it ends its paragraph
    ("O estudo da equipa acabou no mes.",
     ["O estudo da equipa acabou no mes.", "Os resultados chegam na semana seguinte."]),
], ids=["at-85-percent", "under-85-percent"])
def test_short_means_under_85_percent_of_the_longest_line(first: str, expected: list[str]) -> None:
    second = "Os resultados chegam na semana seguinte."
    assert (len(first), len(second)) in ((34, 40), (33, 40))
    assert paragraphs(f"{first}\n{second}") == expected


def test_a_line_before_a_list_item_ends_its_paragraph() -> None:
    assert paragraphs("Os pontos da ordem de trabalhos sao os\nque se seguem\n- o primeiro ponto sem fim\n"
                      "- o segundo ponto") == \
        ["Os pontos da ordem de trabalhos sao os que se seguem", "- o primeiro ponto sem fim", "- o segundo ponto"]


def test_a_blank_line_parts_paragraphs_and_the_text_after_it_is_kept() -> None:
    assert paragraphs("Primeiro paragrafo.\n\nSegundo paragrafo que\ncontinua.\n\n\nTerceiro.") == \
        ["Primeiro paragrafo.", "Segundo paragrafo que continua.", "Terceiro."]


# extract_pages and PdfLayout


def test_the_text_of_each_page_is_read() -> None:
    assert extract_pages(_pdf([["Primeira linha.", "Segunda linha"], ["Pagina dois"]])) == \
        ["Primeira linha.\nSegunda linha", "Pagina dois"]


def test_a_pdf_with_a_wrong_startxref_is_read_as_readers_do() -> None:
    data = _pdf([["Ola mundo."]])
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    offset = int(data[start:].split(b"\n")[0])
    assert extract_pages(data[:start] + b"%d\n%%%%EOF\n" % (offset - 3)) == ["Ola mundo."]


def test_reading_sets_pypdf_logging_to_errors_only_and_leaves_the_root_logger() -> None:
    pypdf_logger, root = logging.getLogger("pypdf"), logging.getLogger()
    before = (pypdf_logger.level, root.level)
    pypdf_logger.setLevel(logging.NOTSET)
    root.setLevel(logging.INFO)
    try:
        extract_pages(_pdf([["Ola mundo."]]))
        assert (pypdf_logger.level, root.level) == (logging.ERROR, logging.INFO)
    finally:
        pypdf_logger.setLevel(before[0])
        root.setLevel(before[1])


def test_pages_are_parted_by_a_blank_line_and_paragraphs_by_a_line_break() -> None:
    layout = PdfLayout(_pdf([["Relatorio anual.", "O ano correu bem para a empresa e para todos os seus",
                              "trabalhadores."], [], ["Pagina tres."]]))
    assert layout.visible_text == ("Relatorio anual.\nO ano correu bem para a empresa e para todos os seus "
                                   "trabalhadores.\n\nPagina tres.")


def test_the_output_is_the_translated_text_in_utf8_with_a_final_line_break() -> None:
    _, layout = open_file(_pdf([["Ola mundo."]]), "ola.pdf")
    assert layout.render("Hello world, ola.\n\nPage two.", [], []) == "Hello world, ola.\n\nPage two."
    assert layout.output == b"Hello world, ola.\n\nPage two.\n"
    assert layout.kind.extension == ".txt"


def test_a_pdf_without_a_text_layer_says_how_many_pages_and_what_to_do() -> None:
    with pytest.raises(NoTextError) as caught:
        open_file(_pdf([[], []]), "scan.pdf")
    assert str(caught.value) == ("the PDF has no text layer (2 pages of images: a scan?); "
                                 "run OCR on it first, then send it again")


def test_a_pdf_with_a_user_password_is_refused_with_its_message() -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("segredo", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EncryptedFileError) as caught:
        extract_pages(out.getvalue())
    assert str(caught.value) == PASSWORD


def test_a_truncated_pdf_is_malformed_and_the_message_names_what_failed() -> None:
    with pytest.raises(MalformedFileError) as caught:
        extract_pages(_pdf([["Ola mundo."]])[:200])
    assert str(caught.value) == "the PDF cannot be read (PdfStreamError)"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_with_an_owner_password_only_is_read_whatever_its_cipher(algorithm: str) -> None:
    # permissions only (no printing, no copying): every viewer opens it without a password, so ponte reads it too;
    # AES needs the `cryptography` package (requirements.txt)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf([["Ola mundo."]]))))
    writer.encrypt("", "dono", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    assert extract_pages(out.getvalue()) == ["Ola mundo."]


@pytest.mark.parametrize("encrypt", [
    # AES-256 whose empty user password does not open it (the /U entry is zeros): it needs a password
    b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /O <%s> /U <%s> /OE <%s> /UE <%s> /Perms <%s>"
    b" /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>"
    % (b"00" * 48, b"00" * 48, b"00" * 32, b"00" * 32, b"00" * 16),
    # encrypted for the holders of some certificates (public-key security)
    b"<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 4 /R 4 /Recipients [<3000>] >>",
], ids=["aes-256", "certificate"])
def test_a_pdf_encrypted_with_a_cipher_pypdf_cannot_open_is_refused_as_encrypted(encrypt: bytes) -> None:
    with pytest.raises(EncryptedFileError) as caught:
        open_file(_pdf([["Ola mundo."]], encrypt=encrypt), "cofre.pdf")
    assert str(caught.value) == PASSWORD
