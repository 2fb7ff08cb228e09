#!/usr/bin/env bash
# Makes the document-format fixtures under test/fixtures/formats/ from the seed texts with
# real tools, so the tests read files as people send them. Needs (Debian, as root):
#   apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils qpdf zip
# Output (committed) under test/fixtures/formats/: docs/ holds the documents to index (a gazette
# part as PDF, another gazette as Word, the interview as a web page); txt/ the plain texts they
# were made from, for the retrieval comparison; scanned/ one page of the PDF as an image-only PDF
# (and that page's text layer, to check OCR against); bad/ files that must be skipped
# (an encrypted PDF, a Word zip bomb).
set -euo pipefail
cd "$(dirname "$0")/.."
root=test/fixtures/formats
out=$root/docs
txt=$root/txt
scan=$root/scanned
bad=$root/bad
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$txt" "$scan" "$bad"

npx tsx scripts/format-fixtures.ts seeds "$work"
# LibreOffice needs a writable profile; a private one keeps runs independent.
soffice=(soffice -env:UserInstallation=file://$work/profile --headless)
"${soffice[@]}" --convert-to pdf --outdir "$work" "$work/gazette-2020-3.fodt" >/dev/null
"${soffice[@]}" --convert-to 'docx:MS Word 2007 XML' --outdir "$work" "$work/gazette-2020-2.fodt" >/dev/null
cp "$work/gazette-2020-3.pdf" "$work/gazette-2020-2.docx" "$work/interview.html" "$out/"
cp "$work/gazette-2020-3.txt" "$work/gazette-2020-2.txt" "$work/interview.txt" "$txt/"

# A scanned page: page 4 of the PDF rendered to a grey image, placed alone on a page, printed to PDF.
pdftoppm -f 4 -l 4 -r 150 -mono -png "$work/gazette-2020-3.pdf" "$work/page"
npx tsx scripts/format-fixtures.ts seeds "$work" "$(ls "$work"/page*.png | head -1)"
"${soffice[@]}" --convert-to pdf --outdir "$work" "$work/scanned.fodt" >/dev/null
cp "$work/scanned.pdf" "$scan/scanned-page.pdf"
# What the scanned page says, from the text layer of the page it was rendered from.
pdftotext -f 4 -l 4 "$work/gazette-2020-3.pdf" "$scan/scanned-page.pdftotext"

# Bad files: an encrypted PDF (user password), and a Word file whose document.xml inflates to 210 MB.
qpdf --encrypt secret secret 256 -- --pages "$work/gazette-2020-3.pdf" 1 -- "$work/gazette-2020-3.pdf" "$bad/encrypted.pdf"
mkdir -p "$work/bomb/word"
cp "$out/gazette-2020-2.docx" "$work/bomb.docx"
head -c 210M /dev/zero > "$work/bomb/word/document.xml"
(cd "$work/bomb" && zip -q -9 "$work/bomb.docx" word/document.xml)
cp "$work/bomb.docx" "$bad/zip-bomb.docx"
ls -l "$out" "$txt" "$scan" "$bad"
