# ruff: noqa: E501  (XML templates read better on one line)
"""Write the fidelity corpus of the file formats: tests/data/files/<format>/*.

Every file is made here from text written for this corpus (public domain, CC0) and, for embedded fonts, a
DejaVu font from Debian's fonts-dejavu-core (Bitstream Vera / public domain licence). DOCX, ODT, ODP, SRT,
WebVTT, XLIFF, PO and some EPUB and PDF files are written byte by byte from the templates below (deterministic);
PPTX, more DOCX, EPUB and PDF files are LibreOffice's own conversions of the ODT and ODP files
(`soffice --headless --convert-to`, which `tools/libreoffice_setup.sh` installs), so that the corpus also holds
files as a real office suite writes them. Each format has tricky files: tracked changes, fields, hyperlinks,
right-to-left runs, embedded fonts, text boxes, notes and comments, subtitles over two rows, placeholders.

    .venv/bin/python tools/make_file_corpus.py [--out tests/data/files] [--no-libreoffice]
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")
DATE = (2026, 1, 1, 0, 0, 0)

S = [
    "O governo aprovou a nova lei de proteção de dados.",
    "A empresa lançou um modelo de inteligência artificial aberto.",
    "O arquivo não pode ser aberto.",
    "Clique no botão para salvar as alterações.",
    "Os pesquisadores publicaram o código no GitHub.",
    "A Meta tem um histórico sólido em código aberto.",
    "O pacote não está instalado.",
    "Não foi possível encontrar o arquivo de configuração.",
    "A nova versão do programa traz melhorias de segurança.",
    "Os usuários podem baixar o aplicativo gratuitamente.",
]
ARTICLE = (ROOT / "tests" / "data" / "article_pt.txt").read_text(encoding="utf-8").split("\n")


def zip_write(path: Path, members: Sequence[tuple[str, bytes]], stored: Sequence[str] = ("mimetype",)) -> None:
    """A zip with fixed dates: the same input always gives the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def png() -> bytes:
    """A 2x2 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (2).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# ----------------------------------------------------------------------------------------------- DOCX

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
        'mc:Ignorable="w14 wps"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def r(text: str, rpr: str = "") -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}<w:t{space}>{escape(text)}</w:t></w:r>"


def p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def field(instruction: str, result: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instruction} '
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(result)}'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def docx(path: Path, body: str, *, parts: dict[str, str] | None = None, rels: Sequence[tuple[str, str, str]] = (),
         extra: Sequence[tuple[str, bytes]] = (), sect: str = "", settings: str = "",
         font_table: str = "") -> None:
    """A Word document: body paragraphs, extra XML parts (name -> XML) with their relationships."""
    parts = parts or {}
    overrides = {"word/document.xml": "wordprocessingml.document.main+xml", "word/styles.xml": "wordprocessingml.styles+xml",
                 "word/settings.xml": "wordprocessingml.settings+xml", "word/fontTable.xml": "wordprocessingml.fontTable+xml"}
    kinds = {"footnotes": "footnotes", "endnotes": "endnotes", "comments": "comments", "header": "header",
             "footer": "footer"}
    all_rels = [("rId1", "styles", "styles.xml"), ("rId2", "settings", "settings.xml"),
                ("rId3", "fontTable", "fontTable.xml"), *rels]
    for name in parts:
        stem = Path(name).stem.rstrip("0123456789")
        overrides[f"word/{name}"] = f"wordprocessingml.{kinds[stem]}+xml"
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" '
             'ContentType="image/png"/><Default Extension="odttf" ContentType="application/vnd.openxmlformats-'
             'officedocument.obfuscatedFont"/>'
             + "".join(f'<Override PartName="/{n}" ContentType="application/vnd.openxmlformats-officedocument.{t}"/>'
                       for n, t in overrides.items()) + "</Types>")
    package_rels = (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{escape(target)}"'
                          + (' TargetMode="External"' if target.startswith("http") else "") + "/>"
                          for i, t, target in all_rels) + "</Relationships>")
    styles = (DECL + f'<w:styles {W_NS}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
              '</w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn '
              'w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr>'
              '</w:style><w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color '
              'w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style></w:styles>')
    document = (DECL + f"<w:document {W_NS}><w:body>{body}<w:sectPr>{sect}<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" '
                'w:gutter="0"/></w:sectPr></w:body></w:document>')
    members = [("[Content_Types].xml", types.encode()), ("_rels/.rels", package_rels.encode()),
               ("word/document.xml", document.encode()), ("word/_rels/document.xml.rels", doc_rels.encode()),
               ("word/styles.xml", styles.encode()),
               ("word/settings.xml", (DECL + f"<w:settings {W_NS}>{settings}</w:settings>").encode()),
               ("word/fontTable.xml", (DECL + f"<w:fonts {W_NS}>{font_table}</w:fonts>").encode())]
    members += [(f"word/{name}", (DECL + xml).encode()) for name, xml in parts.items()]
    members += list(extra)
    zip_write(path, members)


def obfuscated_font(key: str) -> bytes:
    """The font obfuscated as OOXML embeds it: its first 32 bytes XORed with the GUID key, reversed."""
    data = bytearray(FONT.read_bytes())
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    for i in range(32):
        data[i] ^= guid[i % 16]
    return bytes(data)


def make_docx(out: Path) -> None:
    d = out / "docx"
    docx(d / "01-plain.docx", p(r("Notícias de tecnologia"), ppr='<w:pStyle w:val="Heading1"/>')
         + "".join(p(r(line)) for line in ARTICLE[:4] if line))
    docx(d / "02-bold-word-in-sentence.docx",
         p(r("A empresa "), r("lançou", "<w:b/>"), r(" um modelo de inteligência artificial aberto."))
         + p(r("O "), r("arquivo", "<w:i/>"), r(" não pode ser "), r("aberto", "<w:u w:val=\"single\"/>"), r("."))
         + p('<w:r w:rsidR="00A1"><w:t>Clique no botão para salvar as alte</w:t></w:r><w:proofErr w:type="spellStart"/>'
             '<w:r w:rsidR="00B2"><w:t>rações.</w:t></w:r><w:proofErr w:type="spellEnd"/>')
         + p(r("Os pesquisadores "), r("publicaram o código", '<w:b/><w:color w:val="FF0000"/>'), r(" no GitHub.")))
    docx(d / "03-hyperlinks.docx",
         p(r("Leia o relatório no "), '<w:hyperlink r:id="rId10" w:history="1">'
           + r("site do governo", '<w:rStyle w:val="Hyperlink"/>') + "</w:hyperlink>", r(" antes de votar."))
         + p(r("Veja também a "), '<w:hyperlink w:anchor="secao2">' + r("segunda seção") + "</w:hyperlink>", r("."))
         + p(r("O código está em "), field('HYPERLINK "https://github.com/exemplo/ponte"', "repositório do projeto"),
             r(" desde ontem."))
         + p('<w:bookmarkStart w:id="0" w:name="secao2"/>', r(S[8]), '<w:bookmarkEnd w:id="0"/>'),
         rels=[("rId10", "hyperlink", "https://www.gov.br/dados?lang=pt&amp;x=1")])
    docx(d / "04-fields.docx",
         p(field("TOC \\o \"1-3\" \\h", "Sumário")) + p(r("Introdução "), field("PAGEREF _Toc1 \\h", "1"))
         + p('<w:bookmarkStart w:id="1" w:name="_Toc1"/>', r("Introdução"), '<w:bookmarkEnd w:id="1"/>',
             ppr='<w:pStyle w:val="Heading1"/>')
         + p(r("Esta página é a "), '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>',
             r(" de "), field("NUMPAGES", "3"), r(" páginas."))
         + p(r("Atualizado em "), field('DATE \\@ "dd/MM/yyyy"', "01/01/2026"), r(" pela equipe."))
         + p(r("Tabela "), field("SEQ Tabela \\* ARABIC", "1"), r(": dados do governo.")))
    docx(d / "05-tracked-changes.docx",
         p(r("O governo "), '<w:del w:id="1" w:author="Ana" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>rejeitou'
           '</w:delText></w:r></w:del><w:ins w:id="2" w:author="Ana" w:date="2026-01-01T00:00:00Z">'
           + r("aprovou") + "</w:ins>", r(" a nova lei de proteção de dados."))
         + p('<w:ins w:id="3" w:author="Rui" w:date="2026-01-02T00:00:00Z">' + r(S[1]) + "</w:ins>")
         + p('<w:moveFrom w:id="4" w:author="Rui" w:date="2026-01-02T00:00:00Z"><w:r><w:t>Texto movido daqui.'
             '</w:t></w:r></w:moveFrom>', r(S[2]))
         + p('<w:r><w:rPr><w:b/><w:rPrChange w:id="5" w:author="Ana" w:date="2026-01-03T00:00:00Z"><w:rPr/>'
             '</w:rPrChange></w:rPr><w:t>O pacote não está instalado.</w:t></w:r>'),
         settings="<w:trackRevisions/>")
    cell = lambda text, extra="": f"<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/>{extra}</w:tcPr>{p(r(text))}</w:tc>"  # noqa: E731
    table = lambda rows: "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"3000\"/><w:gridCol w:w=\"3000\"/></w:tblGrid>" + "".join(f"<w:tr>{''.join(rows_)}</w:tr>" for rows_ in rows) + "</w:tbl>"  # noqa: E731
    nested = table([[cell("Linha interna."), cell("Outra célula.")]])
    docx(d / "06-tables.docx",
         p(r(S[0])) + table([[cell("Empresa"), cell("Produto")], [cell(S[1]), cell(S[9])],
                             [cell(S[3], '<w:gridSpan w:val="2"/>')]])
         + p(r("Tabela dentro de tabela:"))
         + table([[f"<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/></w:tcPr>{nested}{p(r('Fim.'))}</w:tc>",
                   cell(S[4])]]))
    notes = lambda tag, kind: (f"<w:{tag}s {W_NS}><w:{tag} w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/>"  # noqa: E731
                               f"</w:r></w:p></w:{tag}><w:{tag} w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r>"
                               f"<w:continuationSeparator/></w:r></w:p></w:{tag}><w:{tag} w:id=\"1\"><w:p><w:r><w:rPr>"
                               f"<w:vertAlign w:val=\"superscript\"/></w:rPr><w:{kind}Ref/></w:r>{r(' ' + S[5])}</w:p>"
                               f"</w:{tag}></w:{tag}s>")
    docx(d / "07-notes-and-comments.docx",
         p(r("O governo aprovou a lei"), '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference '
           'w:id="1"/></w:r>', r(" de proteção de dados."))
         + p('<w:commentRangeStart w:id="0"/>', r(S[1]), '<w:commentRangeEnd w:id="0"/>',
             '<w:r><w:commentReference w:id="0"/></w:r>')
         + p(r(S[6]), '<w:r><w:endnoteReference w:id="1"/></w:r>'),
         parts={"footnotes.xml": notes("footnote", "footnote"), "endnotes.xml": notes("endnote", "endnote"),
                "comments.xml": f'<w:comments {W_NS}><w:comment w:id="0" w:author="Ana" w:date="2026-01-01T00:00:00Z"'
                                f' w:initials="A">{p(r(S[3]))}</w:comment></w:comments>'},
         rels=[("rId20", "footnotes", "footnotes.xml"), ("rId21", "endnotes", "endnotes.xml"),
               ("rId22", "comments", "comments.xml")])
    docx(d / "08-headers-footers.docx", p(r(S[0])) + p(r(S[2])),
         parts={"header1.xml": f"<w:hdr {W_NS}>{p(r('Relatório anual de tecnologia'))}</w:hdr>",
                "footer1.xml": f"<w:ftr {W_NS}>" + p(r("Página "), '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t>'
                                                     '</w:r></w:fldSimple>', r(" do relatório.")) + "</w:ftr>"},
         rels=[("rId30", "header", "header1.xml"), ("rId31", "footer", "footer1.xml")],
         sect='<w:headerReference w:type="default" r:id="rId30"/><w:footerReference w:type="default" r:id="rId31"/>')
    docx(d / "09-right-to-left.docx",
         p(r("O ministro disse "), r("مرحبا بالعالم", '<w:rtl/><w:lang w:bidi="ar-SA"/>'), r(" na abertura.", ""))
         + p(r("שלום עולם", "<w:rtl/>"), ppr="<w:bidi/>") + p(r(S[7])))
    key = "{" + str(uuid.UUID(int=0x1234567890ABCDEF1234567890ABCDEF)).upper() + "}"
    docx(d / "10-embedded-font.docx", p(r(S[8], '<w:rFonts w:ascii="DejaVu Sans Mono" w:hAnsi="DejaVu Sans Mono"/>'))
         + p(r(S[9])),
         rels=[("rId40", "font", "fonts/font1.odttf")],
         extra=[("word/fonts/font1.odttf", obfuscated_font(key)), ("word/_rels/fontTable.xml.rels",
                 (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  f'<Relationship Id="rId1" Type="{REL}/font" Target="fonts/font1.odttf"/></Relationships>').encode())],
         settings="<w:embedTrueTypeFonts/>",
         font_table=f'<w:font w:name="DejaVu Sans Mono"><w:embedBold r:id="rId1" w:fontKey="{key}"/></w:font>')
    box = p(r("Texto da caixa: " + S[4]))
    docx(d / "11-text-box.docx",
         p('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" '
           'distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
           '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
           '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
           '<wp:extent cx="2000000" cy="800000"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Caixa 1"/>'
           '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
           '<wps:wsp><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="800000"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>' + box
           + '</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
           '</mc:Choice><mc:Fallback><w:pict><v:rect style="width:160pt;height:60pt"><v:textbox><w:txbxContent>'
           + box + "</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
           r(S[0])) + p(r(S[1])))
    image = ('<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="400000" cy="400000"/>'
             '<wp:docPr id="2" name="Imagem 1" descr="Um quadrado vermelho"/><a:graphic><a:graphicData '
             'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" '
             'name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId50"/><a:stretch>'
             '<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="400000" '
             'cy="400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
             '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    docx(d / "12-image-tabs-breaks.docx",
         p(image, r(" " + S[9])) + p(r("Nome:"), "<w:r><w:tab/></w:r>", r("Ana Silva")) + p(
             r("Primeira linha do endereço,"), "<w:r><w:br/></w:r>", r("segunda linha do endereço.")) + p(
             r("Texto com  dois espaços e  mais."), "<w:r><w:br w:type=\"page\"/></w:r>") + p(r(S[2])),
         rels=[("rId50", "image", "media/image1.png")], extra=[("word/media/image1.png", png())])
    docx(d / "13-content-controls.docx",
         '<w:sdt><w:sdtPr><w:alias w:val="Título"/><w:tag w:val="titulo"/><w:id w:val="100"/></w:sdtPr><w:sdtContent>'
         + p(r("Relatório de segurança")) + "</w:sdtContent></w:sdt>"
         + p(r("A equipe "), '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
             + r("do Brasil") + "</w:smartTag>", r(" revisou o texto."))
         + p(r("Contato: "), '<w:fldSimple w:instr=" HYPERLINK &quot;mailto:ana@exemplo.org&quot; ">'
             + r("ana@exemplo.org") + "</w:fldSimple>", r(" para dúvidas."))
         + p(r("Versão v2.1.0 do Python 3.11 em /etc/ponte/config.yaml.")))
    long_body = p(r("Relatório de tecnologia"), ppr='<w:pStyle w:val="Heading1"/>')
    paragraphs = [line for line in ARTICLE if line.strip()]
    for i in range(12):
        for line in paragraphs:
            words = line.split(" ")
            cut = len(words) // 3
            long_body += p(r(" ".join(words[:cut]) + " "), r(words[cut], "<w:b/>"), r(" " + " ".join(words[cut + 1:])))
        long_body += p(r(f"Seção {i + 1}"), ppr='<w:pStyle w:val="Heading1"/>')
    docx(d / "14-ten-pages.docx", long_body)


# ----------------------------------------------------------------------------------------------- ODF

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
          'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" office:version="1.3"')
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def odf(path: Path, mimetype: str, body: str, *, styles: str = "", automatic: str = "", master: str = "",
        extra: Sequence[tuple[str, str, bytes]] = (), font_faces: str = "") -> None:
    """An OpenDocument package: mimetype first and stored, content, styles, meta, manifest."""
    kind = "text" if mimetype.endswith("text") else "presentation"
    content = (XML_DECL + f"<office:document-content {ODF_NS}><office:font-face-decls>{font_faces}"
               f"</office:font-face-decls><office:automatic-styles>{automatic}</office:automatic-styles><office:body>"
               f"<office:{kind}>{body}</office:{kind}></office:body></office:document-content>")
    styles_xml = (XML_DECL + f"<office:document-styles {ODF_NS}><office:font-face-decls>{font_faces}"
                  f"</office:font-face-decls><office:styles>{styles}</office:styles>"
                  '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties '
                  'fo:page-width="21cm" fo:page-height="29.7cm"/></style:page-layout></office:automatic-styles>'
                  f"<office:master-styles>{master}</office:master-styles></office:document-styles>")
    meta = (XML_DECL + f"<office:document-meta {ODF_NS}><office:meta><dc:title>Corpus</dc:title></office:meta>"
            "</office:document-meta>")
    entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="{media}"/>'
                      for name, media, _ in extra)
    manifest = (XML_DECL + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                f'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                f"{entries}</manifest:manifest>")
    members = [("mimetype", mimetype.encode()), ("content.xml", content.encode()), ("styles.xml", styles_xml.encode()),
               ("meta.xml", meta.encode())] + [(name, data) for name, _, data in extra] + [
               ("META-INF/manifest.xml", manifest.encode())]
    zip_write(path, members)


def tp(text: str, style: str = "P") -> str:
    return f'<text:p text:style-name="{style}">{text}</text:p>'


ODT_AUTO = ('<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/>'
            '</style:style><style:style style:name="T2" style:family="text"><style:text-properties '
            'fo:font-style="italic"/></style:style><style:style style:name="RTL" style:family="paragraph">'
            '<style:paragraph-properties style:writing-mode="rl-tb"/></style:style>')
ODT = "application/vnd.oasis.opendocument.text"


def make_odt(out: Path) -> None:
    d = out / "odt"
    e = escape
    odt = lambda name, body, **kw: odf(d / name, ODT, body, automatic=ODT_AUTO, **kw)  # noqa: E731
    odt("01-plain.odt", '<text:h text:outline-level="1">Notícias de tecnologia</text:h>'
        + "".join(tp(e(line)) for line in ARTICLE[:4] if line))
    odt("02-bold-word-in-sentence.odt",
        tp('A empresa <text:span text:style-name="T1">lançou</text:span> um modelo de inteligência artificial aberto.')
        + tp('O <text:span text:style-name="T2">arquivo</text:span> não pode ser aberto.')
        + tp('Os pesquisadores <text:span text:style-name="T1">publicaram <text:span text:style-name="T2">o código'
             '</text:span></text:span> no GitHub.'))
    odt("03-hyperlinks.odt",
        tp('Leia o relatório no <text:a xlink:type="simple" xlink:href="https://www.gov.br/dados?lang=pt&amp;x=1">'
           'site do governo</text:a> antes de votar.')
        + tp('Veja também a <text:a xlink:type="simple" xlink:href="#secao2">segunda seção</text:a>.')
        + tp('<text:bookmark text:name="secao2"/>' + e(S[8])))
    odt("04-fields.odt",
        tp("Esta página é a <text:page-number text:select-page=\"current\">1</text:page-number> de "
           "<text:page-count>3</text:page-count> páginas.")
        + tp('Atualizado em <text:date style:data-style-name="N1" text:date-value="2026-01-01">01/01/2026</text:date>'
             " pela equipe.")
        + tp('Tabela <text:sequence text:ref-name="refTabela0" text:name="Tabela" text:formula="ooow:Tabela+1" '
             'style:num-format="1">1</text:sequence>: dados do governo.')
        + tp('Autor: <text:author-name text:fixed="false">Ana</text:author-name>.'))
    odt("05-tracked-changes.odt",
        '<text:tracked-changes text:track-changes="true"><text:changed-region xml:id="ct1" text:id="ct1">'
        '<text:deletion><office:change-info><dc:creator>Ana</dc:creator><dc:date>2026-01-01T00:00:00</dc:date>'
        '</office:change-info><text:p>rejeitou</text:p></text:deletion></text:changed-region>'
        '<text:changed-region xml:id="ct2" text:id="ct2"><text:insertion><office:change-info><dc:creator>Ana'
        '</dc:creator><dc:date>2026-01-01T00:00:00</dc:date></office:change-info></text:insertion>'
        "</text:changed-region></text:tracked-changes>"
        + tp('O governo <text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>aprovou'
             '<text:change-end text:change-id="ct2"/> a nova lei de proteção de dados.') + tp(e(S[1])))
    row = lambda *cells: "<table:table-row>" + "".join(f"<table:table-cell office:value-type=\"string\">{tp(e(c))}</table:table-cell>" for c in cells) + "</table:table-row>"  # noqa: E731
    odt("06-tables.odt", tp(e(S[0])) + '<table:table table:name="T1"><table:table-column '
        'table:number-columns-repeated="2"/>' + row("Empresa", "Produto") + row(S[1], S[9]) + "</table:table>"
        + tp(e(S[4])))
    odt("07-notes-and-comments.odt",
        tp('O governo aprovou a lei<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1'
           f"</text:note-citation><text:note-body>{tp(e(S[5]))}</text:note-body></text:note> de proteção de dados.")
        + tp('<office:annotation office:name="c1"><dc:creator>Ana</dc:creator><dc:date>2026-01-01T00:00:00</dc:date>'
             f"{tp(e(S[3]))}</office:annotation>{e(S[1])}<office:annotation-end office:name=\"c1\"/>")
        + tp(e(S[6]) + '<text:note text:id="ftn2" text:note-class="endnote"><text:note-citation>i'
             f"</text:note-citation><text:note-body>{tp(e(S[2]))}</text:note-body></text:note>"))
    odt("08-headers-footers.odt", tp(e(S[0])) + tp(e(S[2])),
        master='<style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header>'
               + tp("Relatório anual de tecnologia") + "</style:header><style:footer>"
               + tp('Página <text:page-number text:select-page="current">1</text:page-number> do relatório.')
               + "</style:footer></style:master-page>")
    odt("09-right-to-left.odt", tp("O ministro disse <text:span>مرحبا بالعالم</text:span> na abertura.")
        + tp("שלום עולם", "RTL") + tp(e(S[7])))
    font = FONT.read_bytes()
    odt("10-embedded-font.odt", tp(e(S[8]), "Mono") + tp(e(S[9])),
        font_faces='<style:font-face style:name="DejaVu Sans Mono" svg:font-family="\'DejaVu Sans Mono\'">'
                   '<svg:font-face-src><svg:font-face-uri xlink:href="Fonts/DejaVuSansMono-Bold.ttf" xlink:type="simple">'
                   '<svg:font-face-format svg:string="truetype"/></svg:font-face-uri></svg:font-face-src>'
                   "</style:font-face>",
        styles='<style:style style:name="Mono" style:family="paragraph"><style:text-properties '
               'style:font-name="DejaVu Sans Mono"/></style:style>',
        extra=[("Fonts/DejaVuSansMono-Bold.ttf", "application/x-font-ttf", font)])
    odt("11-text-box.odt",
        tp('<draw:frame draw:name="Caixa1" text:anchor-type="paragraph" svg:width="6cm" svg:height="2cm">'
           f"<draw:text-box>{tp('Texto da caixa: ' + e(S[4]))}</draw:text-box></draw:frame>" + e(S[0])) + tp(e(S[1])))
    odt("12-image-tabs-breaks.odt",
        tp('<draw:frame draw:name="Imagem1" text:anchor-type="as-char" svg:width="1cm" svg:height="1cm">'
           '<draw:image xlink:href="Pictures/image1.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
           '<svg:title>Um quadrado</svg:title><svg:desc>Um quadrado vermelho</svg:desc></draw:frame> ' + e(S[9]))
        + tp("Nome:<text:tab/>Ana Silva") + tp("Primeira linha do endereço,<text:line-break/>segunda linha do endereço.")
        + tp('Texto com <text:s/>dois espaços e <text:s text:c="3"/>mais.') + tp(e(S[2])),
        extra=[("Pictures/image1.png", "image/png", png())])


ODP = "application/vnd.oasis.opendocument.presentation"


def make_odp(out: Path) -> None:
    d = out / "odp"
    e = escape

    def frame(text: str, kind: str = "outline", y: int = 4) -> str:
        return (f'<draw:frame presentation:class="{kind}" svg:width="20cm" svg:height="3cm" svg:x="2cm" '
                f'svg:y="{y}cm"><draw:text-box>{text}</draw:text-box></draw:frame>')

    def page(n: int, title: str, body: str, notes: str = "") -> str:
        note = (f'<presentation:notes>{frame(tp(e(notes)), "notes", 15)}</presentation:notes>' if notes else "")
        return (f'<draw:page draw:name="page{n}" draw:master-page-name="Default">{frame(tp(e(title)), "title", 1)}'
                f"{body}{note}</draw:page>")

    master = '<style:master-page style:name="Default" style:page-layout-name="pm1"/>'
    odp = lambda name, body, **kw: odf(d / name, ODP, body, master=master, automatic=ODT_AUTO, **kw)  # noqa: E731
    odp("01-plain.odp", page(1, "Notícias de tecnologia", frame("".join(tp(e(x)) for x in S[:3]))))
    odp("02-bold-word-in-sentence.odp", page(1, "Produto", frame(tp(
        'A empresa <text:span text:style-name="T1">lançou</text:span> um modelo de inteligência artificial aberto.'))))
    odp("03-hyperlinks.odp", page(1, "Ligações", frame(tp(
        'Leia o relatório no <text:a xlink:href="https://www.gov.br/dados" xlink:type="simple">site do governo'
        "</text:a> antes de votar."))))
    odp("04-fields.odp", page(1, "Campos", frame(tp("Slide <text:page-number>1</text:page-number> de hoje.")
                                                 + tp('Data: <text:date text:date-value="2026-01-01">01/01/2026'
                                                      "</text:date>."))))
    odp("05-notes.odp", page(1, "Com notas", frame(tp(e(S[0]))), S[1]) + page(2, "Segunda", frame(tp(e(S[2]))), S[3]))
    cells = lambda *c: "<table:table-row>" + "".join(f"<table:table-cell>{tp(e(x))}</table:table-cell>" for x in c) + "</table:table-row>"  # noqa: E731
    odp("06-table.odp", page(1, "Tabela", '<draw:frame svg:width="20cm" svg:height="4cm" svg:x="2cm" svg:y="5cm">'
        '<table:table><table:table-column table:number-columns-repeated="2"/>' + cells("Empresa", "Produto")
        + cells(S[1], S[9]) + "</table:table></draw:frame>"))
    odp("07-many-slides.odp", "".join(page(i + 1, f"Parte {i + 1}", frame(tp(e(s)))) for i, s in enumerate(S)))
    odp("08-right-to-left.odp", page(1, "Idiomas", frame(tp("O ministro disse <text:span>مرحبا بالعالم</text:span> "
                                                            "na abertura.") + tp("שלום עולם", "RTL"))))
    odp("09-line-breaks.odp", page(1, "Endereço", frame(tp("Primeira linha do endereço,<text:line-break/>segunda "
                                                           "linha do endereço.") + tp("Nome:<text:tab/>Ana Silva"))))
    odp("10-image.odp", page(1, "Imagem", '<draw:frame svg:width="2cm" svg:height="2cm" svg:x="2cm" svg:y="5cm">'
                         '<draw:image xlink:href="Pictures/image1.png" xlink:type="simple"/></draw:frame>'
                         + frame(tp(e(S[9])), "outline", 8)),
        extra=[("Pictures/image1.png", "image/png", png())])


# ----------------------------------------------------------------------------------------------- text formats

def make_subtitles(out: Path) -> None:
    srt = out / "srt"
    vtt = out / "vtt"
    srt.mkdir(parents=True, exist_ok=True)
    vtt.mkdir(parents=True, exist_ok=True)

    def cues(lines: Sequence[str], sep: str = ",", crlf: bool = False) -> str:
        nl = "\r\n" if crlf else "\n"
        blocks = [f"{i + 1}{nl}00:00:{i * 3:02d}{sep}000 --> 00:00:{i * 3 + 2:02d}{sep}500{nl}{text.replace(chr(10), nl)}"
                  for i, text in enumerate(lines)]
        return (nl + nl).join(blocks) + nl
    files = {
        "01-plain": cues(S[:4]),
        "02-two-rows": cues(["O governo aprovou a nova lei\nde proteção de dados.",
                             "A empresa lançou um modelo\nde inteligência artificial aberto."]),
        "03-italic-bold": cues(["<i>O arquivo não pode ser aberto.</i>", "A empresa <b>lançou</b> um modelo aberto."]),
        "04-font-color": cues(['<font color="#ffff00">Clique no botão</font> para salvar as alterações.']),
        "05-position-override": cues(["{\\an8}Os pesquisadores publicaram o código.", S[4]]),
        "06-crlf": cues(S[4:7], crlf=True),
        "07-sentence-over-cues": cues(["O governo aprovou ontem", "a nova lei de proteção de dados.", S[2]]),
        "08-music-and-dashes": cues(["♪ Música ♪", "- Você viu o arquivo?\n- Não, não vi.", S[3]]),
        "09-hours-and-long": cues([S[7] + " " + S[8]]).replace("00:00:00,000", "01:59:59,999"),
        "10-numbers-and-names": cues(["O Python 3.11 saiu em 2022.", "Veja https://www.gov.br/dados agora."]),
    }
    for name, text in files.items():
        data = text.encode()
        (srt / f"{name}.srt").write_bytes((b"\xef\xbb\xbf" + data) if name == "01-plain" else data)
    header = "WEBVTT\n\n"
    vtt_files = {
        "01-plain": header + cues(S[:4], "."),
        "02-two-rows": header + cues(["O governo aprovou a nova lei\nde proteção de dados.",
                                      "A empresa lançou um modelo\nde inteligência artificial aberto."], "."),
        "03-voice-and-class": header + "intro\n00:00:00.000 --> 00:00:02.000 line:0 position:20% align:start\n"
                              "<v Ana>O arquivo não pode ser aberto.</v>\n\n00:00:03.000 --> 00:00:05.000\n"
                              "<c.amarelo>Clique no botão</c> para salvar as alterações.\n",
        "04-note-style-region": "WEBVTT - Legendas\n\nSTYLE\n::cue { color: yellow }\n\nREGION\nid:fala\nwidth:40%\n\n"
                                "NOTE Este comentário não é traduzido.\n\n00:00:00.000 --> 00:00:02.000 region:fala\n"
                                + S[0] + "\n",
        "05-karaoke": header + "00:00:00.000 --> 00:00:04.000\nA empresa <00:00:01.000>lançou <00:00:02.000>um modelo "
                               "aberto.\n",
        "06-entities": header + "00:00:00.000 --> 00:00:02.000\nPesquisa &amp; desenvolvimento &lt;novo&gt;.\n",
        "07-crlf": cues(S[4:7], ".", crlf=True).join(["WEBVTT\r\n\r\n", ""]),
        "08-bold-italic": header + cues(["<b>Atenção:</b> o pacote <i>não</i> está instalado."], "."),
        "09-ruby-lang": header + "00:00:00.000 --> 00:00:02.000\n<lang en>Hello</lang>, disse o ministro ao povo.\n",
        "10-sentence-over-cues": header + cues(["O governo aprovou ontem", "a nova lei de proteção de dados."], "."),
    }
    for name, text in vtt_files.items():
        (vtt / f"{name}.vtt").write_bytes(text.encode())


def make_xliff(out: Path) -> None:
    d = out / "xliff"
    d.mkdir(parents=True, exist_ok=True)
    e = escape

    def v12(units: str, extra_attrs: str = "") -> str:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                f'\n  <file original="app.properties" source-language="pt-BR" datatype="plaintext"{extra_attrs}>\n    <body>\n'
                f"{units}    </body>\n  </file>\n</xliff>\n")

    def u12(uid: str, source: str, rest: str = "", attrs: str = "") -> str:
        return f'      <trans-unit id="{uid}"{attrs}>\n        <source>{source}</source>\n{rest}      </trans-unit>\n'

    def v20(units: str) -> str:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
                f'version="2.0" srcLang="pt-BR">\n  <file id="f1">\n{units}  </file>\n</xliff>\n')

    def u20(uid: str, segments: str, attrs: str = "") -> str:
        return f'    <unit id="{uid}"{attrs}>\n{segments}    </unit>\n'

    def seg(source: str, extra: str = "") -> str:
        return f"      <segment{extra}>\n        <source>{source}</source>\n      </segment>\n"

    files = {
        "01-plain-1.2.xlf": v12("".join(u12(f"u{i}", e(s)) for i, s in enumerate(S[:5]))),
        "02-inline-g-x-1.2.xlf": v12(u12("bold", 'A empresa <g id="1" ctype="bold">lançou</g> um modelo aberto.')
                                     + u12("break", 'Primeira linha,<x id="2" ctype="lb"/>segunda linha.')),
        "03-bpt-ept-ph-1.2.xlf": v12(u12("codes", 'Clique <bpt id="1">&lt;b&gt;</bpt>aqui<ept id="1">&lt;/b&gt;'
                                                  '</ept> para salvar <ph id="2">%s</ph> arquivos.')),
        "04-protected-mrk-1.2.xlf": v12(u12("brand", 'O <mrk mtype="protected">Ponte Tradutor</mrk> está instalado.')),
        "05-translate-no-and-notes-1.2.xlf": v12(u12("keep", "Código interno", attrs=' translate="no"')
                                                  + u12("n", e(S[6]), '        <note from="dev">Mensagem de erro'
                                                                       "</note>\n")),
        "06-existing-targets-groups-1.2.xlf": v12('      <group id="g1" resname="menu">\n'
                                                  + u12("t1", e(S[3]), '        <target state="new">velho</target>\n')
                                                  + "      </group>\n", ' target-language="es"'),
        "07-placeholders-1.2.xlf": v12(u12("p1", "Foram encontrados %d arquivos em %s.")
                                       + u12("p2", "Olá, {nome}! Você tem {0} mensagens.")),
        "08-plain-2.0.xlf": v20("".join(u20(f"u{i}", seg(e(s))) for i, s in enumerate(S[:5]))),
        "09-inline-pc-ph-2.0.xlf": v20(u20("b", seg('A empresa <pc id="1">lançou</pc> um modelo aberto.'))
                                       + u20("p", seg('Salvar <ph id="1" disp="%s"/> arquivos agora.'))),
        "10-mrk-translate-no-2.0.xlf": v20(u20("m", seg('O <mrk id="m1" translate="no">Ponte Tradutor</mrk> está '
                                                        "instalado.")) + u20("k", seg("Não traduzir"),
                                                                             ' translate="no"')),
        "11-segments-ignorable-2.0.xlf": v20(u20("s", seg(e(S[0])) + "      <ignorable>\n        <source> </source>\n"
                                                 "      </ignorable>\n" + seg(e(S[1])))
                                             + u20("n", "      <notes>\n        <note>Mensagem</note>\n      </notes>\n"
                                                   + seg(e(S[2])))),
        "12-sc-ec-2.0.xlf": v20(u20("c", seg('Clique <sc id="1"/>aqui<ec startRef="1"/> para continuar.'))),
    }
    for name, text in files.items():
        (d / name).write_bytes(text.encode())


def make_po(out: Path) -> None:
    d = out / "po"
    d.mkdir(parents=True, exist_ok=True)
    header = ('msgid ""\nmsgstr ""\n"Project-Id-Version: corpus 1.0\\n"\n"Language: pt_BR\\n"\n'
              '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
              '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n')

    def entry(msgid: str, comment: str = "", msgstr: str = "") -> str:
        return f'{comment}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'
    files = {
        "01-plain.po": header + "".join(entry(s) for s in S[:5]),
        "02-plural.po": header + 'msgid "Um arquivo foi apagado."\nmsgid_plural "%d arquivos foram apagados."\n'
                                 'msgstr[0] ""\nmsgstr[1] ""\n\n',
        "03-context.po": header + 'msgctxt "menu"\nmsgid "Abrir"\nmsgstr ""\n\nmsgctxt "porta"\nmsgid "Abrir a porta"\n'
                                  'msgstr ""\n\n',
        "04-fuzzy-and-comments.po": header + entry(S[6], "# Comentário do tradutor\n#. Comentário extraído\n"
                                                         "#: src/main.c:42\n#, fuzzy, c-format\n", "velho"),
        "05-obsolete.po": header + entry(S[7]) + '#~ msgid "Mensagem antiga"\n#~ msgstr "Old message"\n',
        "06-multiline.po": header + 'msgid ""\n"Uso: ponte [opções]\\n"\n"  --ajuda  mostra esta ajuda.\\n"\n'
                                    'msgstr ""\n\n',
        "07-python-format.po": header + entry("Olá, %(nome)s! Você tem %(n)d mensagens.", "#, python-format\n")
                               + entry("Foram encontrados {0} arquivos em {pasta}.", "#, python-brace-format\n"),
        "08-c-format.po": header + entry("Não foi possível abrir %s: %s", "#, c-format\n")
                          + entry("Copiado 100%% do arquivo.", "#, c-format\n"),
        "09-crlf.po": (header + "".join(entry(s) for s in S[5:8])).replace("\n", "\r\n"),
        "10-escapes.po": header + entry('Clique em \\"Salvar\\" para continuar.') + entry("Coluna\\tvalor"),
    }
    for name, text in files.items():
        (d / name).write_bytes(text.encode())


# ----------------------------------------------------------------------------------------------- EPUB, PDF

def epub2(path: Path, *, font: bool = False) -> None:
    """An EPUB 2 book with an NCX, the XHTML 1.1 DTD and &nbsp; references (and an obfuscated font)."""
    chapter = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
               '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
               "<head><title>Capítulo 1</title></head><body><h1>Capítulo&nbsp;1</h1>"
               f"<p>{escape(S[0])}</p><p>A empresa <b>lançou</b> um modelo de inteligência artificial aberto.</p>"
               '<p>Leia o <a href="https://www.gov.br/dados">site do governo</a> hoje.<sup><a href="#n1" id="r1">1</a>'
               '</sup></p><pre>codigo = "não traduzir"</pre><p>Use <code>pip install ponte</code> agora.</p>'
               f'<p dir="rtl">مرحبا بالعالم</p><aside id="n1"><p>{escape(S[5])}</p></aside>'
               '<p><img src="image1.png" alt="Um quadrado vermelho"/></p></body></html>\n')
    opf = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="2.0" '
           'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Livro</dc:title>'
           '<dc:language>pt</dc:language><dc:identifier id="id">urn:uuid:00000000-0000-0000-0000-000000000001'
           "</dc:identifier></metadata><manifest>"
           '<item id="c1" href="cap%C3%ADtulo1.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
           '<item id="img" href="image1.png" media-type="image/png"/>'
           + ('<item id="font" href="font.ttf" media-type="application/x-font-ttf"/>' if font else "")
           + '</manifest><spine toc="ncx"><itemref idref="c1"/></spine></package>\n')
    ncx = ('<?xml version="1.0" encoding="utf-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
           '<head><meta name="dtb:uid" content="urn:uuid:00000000-0000-0000-0000-000000000001"/></head><docTitle>'
           "<text>Livro de tecnologia</text></docTitle><navMap><navPoint id=\"n1\" playOrder=\"1\"><navLabel><text>"
           'Capítulo 1</text></navLabel><content src="cap%C3%ADtulo1.xhtml"/></navPoint></navMap></ncx>\n')
    container = ('<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:'
                 'container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package'
                 '+xml"/></rootfiles></container>\n')
    members = [("mimetype", b"application/epub+zip"), ("META-INF/container.xml", container.encode()),
               ("OEBPS/content.opf", opf.encode()), ("OEBPS/capítulo1.xhtml", chapter.encode()),
               ("OEBPS/toc.ncx", ncx.encode()), ("OEBPS/image1.png", png())]
    if font:
        data = bytearray(FONT.read_bytes())
        key = b"\x01" * 20  # IDPF obfuscation XORs the first 1040 bytes with the SHA-1 of the identifier
        for i in range(1040):
            data[i] ^= key[i % 20]
        members.append(("OEBPS/font.ttf", bytes(data)))
        members.append(("META-INF/encryption.xml", (
            b'<?xml version="1.0"?>\n<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            b'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod '
            b'Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="OEBPS/font.ttf"/>'
            b"</enc:CipherData></enc:EncryptedData></encryption>\n")))
    zip_write(path, members)


def minimal_pdf(path: Path, pages: Sequence[Sequence[str]] | None, *, image_only: bool = False) -> None:
    """A PDF written by hand: Helvetica text lines per page (WinAnsi), or one image and no text at all."""
    page_ids = []
    kids = []
    count = len(pages) if pages else 1
    font_id = 3 + 2 * count
    for i in range(count):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        page_ids.append((page_id, content_id))
        kids.append(f"{page_id} 0 R")
    body: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
                              2: f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {count} >>".encode()}
    for i, (page_id, content_id) in enumerate(page_ids):
        if image_only:
            stream = b"q 200 0 0 200 100 500 cm /Im1 Do Q"
            resources = f"<< /XObject << /Im1 {font_id} 0 R >> >>"
        else:
            lines = [b"BT /F1 11 Tf 72 760 Td 14 TL"]
            for line in (pages or [[]])[i]:
                lines.append(b"(" + line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
                             .replace(b")", b"\\)") + b") Tj T*")
            lines.append(b"ET")
            stream = b"\n".join(lines)
            resources = f"<< /Font << /F1 {font_id} 0 R >> >>"
        body[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resources} "
                         f"/Contents {content_id} 0 R >>").encode()
        body[content_id] = f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
    if image_only:
        pixels = zlib.compress(b"\x80" * 64 * 64)
        body[font_id] = (f"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                         f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(pixels)} >>\nstream\n").encode() \
            + pixels + b"\nendstream"
    else:
        body[font_id] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(body):
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode() + body[number] + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(body) + 1}\n0000000000 65535 f \n".encode())
    for number in sorted(body):
        out.write(f"{offsets[number]:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(body) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def wrap(text: str, width: int = 80) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def make_pdf(out: Path) -> None:
    d = out / "pdf"
    paragraphs = [line for line in ARTICLE if line.strip()]
    minimal_pdf(d / "01-one-page.pdf", [[*wrap(paragraphs[0]), "", *wrap(paragraphs[1])]])
    minimal_pdf(d / "02-two-pages.pdf", [wrap(" ".join(paragraphs[:2])), wrap(" ".join(paragraphs[2:4]))])
    minimal_pdf(d / "03-short-lines.pdf", [list(S[:6])])
    minimal_pdf(d / "04-list.pdf", [["Tarefas da equipe:", "- " + S[3], "- " + S[6], "1. " + S[8]]])
    minimal_pdf(d / "05-hyphenated.pdf", [["O governo aprovou a nova lei de prote-", "ção de dados ontem à noite.",
                                           S[1]]])
    minimal_pdf(d / "06-no-text-layer.pdf", None, image_only=True)


def libreoffice(out: Path) -> None:
    """LibreOffice's own DOCX, PPTX, EPUB and PDF from the ODT and ODP files."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice is not installed (tools/libreoffice_setup.sh), or pass --no-libreoffice")
    jobs = [("odt", "docx", "docx:MS Word 2007 XML", "lo-", ["02", "03", "05", "07", "09"]),
            ("odp", "pptx", "pptx:Impress MS PowerPoint 2007 XML", "lo-", None),
            ("odt", "epub", "epub", "lo-", None),
            ("odt", "pdf", "pdf", "lo-", ["01", "02", "06", "07", "12"])]
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work) / "profile"
        for source, target, filter_, prefix, only in jobs:
            files = sorted((out / source).glob(f"*.{source}"))
            if only is not None:
                files = [f for f in files if f.name[:2] in only]
            tmp = Path(work) / target
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                            filter_, "--outdir", str(tmp), *map(str, files)], check=True, capture_output=True,
                           timeout=600)
            for made in sorted(tmp.iterdir()):
                destination = out / target / f"{prefix}{made.name}"
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(made, destination)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "files")
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()
    make_docx(args.out)
    make_odt(args.out)
    make_odp(args.out)
    make_subtitles(args.out)
    make_xliff(args.out)
    make_po(args.out)
    epub2(args.out / "epub" / "01-epub2-ncx-entities.epub")
    epub2(args.out / "epub" / "02-epub2-obfuscated-font.epub", font=True)
    make_pdf(args.out)
    if not args.no_libreoffice:
        libreoffice(args.out)


if __name__ == "__main__":
    main()
