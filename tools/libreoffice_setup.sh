#!/usr/bin/env bash
# Installs the reference readers of the file tests, once: LibreOffice without its GUI (Debian's
# libreoffice-writer-nogui and libreoffice-impress-nogui, ~350 MB), which opens DOCX, ODT, PPTX and ODP in
# `soffice --headless --convert-to`; EPUBCheck (Java) for EPUB, which LibreOffice 7.4 cannot open; gettext's
# msgfmt for PO; poppler-utils (pdftotext). Safe to run again: it skips what is there.
set -euo pipefail
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && [ -f /usr/bin/epubcheck ] \
    && command -v msgfmt >/dev/null 2>&1; then
  echo "libreoffice_setup: $(soffice --version 2>/dev/null | head -1)"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  libreoffice-writer-nogui libreoffice-impress-nogui fonts-dejavu-core poppler-utils epubcheck gettext
soffice --version | head -1
