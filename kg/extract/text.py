"""Reading documents (txt, md, html), reducing markup to text, cutting text into blocks."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

from ..corpus import read_document
from ..errors import CorpusError
from .model import ExtractError, HTML_SUFFIXES, MARKDOWN_SUFFIXES, MAX_BYTES


def read_input(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a document to extract from: plain text as is; Markdown and HTML reduced.

    Refuses missing, oversized, binary, non-UTF-8 and empty files with one clear error.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExtractError("file not found", str(path)) from None
    except OSError as exc:
        raise ExtractError(f"cannot read: {exc.strerror}", str(path)) from None
    if path.is_dir():
        raise ExtractError("is a folder, not a document", str(path))
    if size > max_bytes:
        raise ExtractError(f"too large ({size:,} bytes; the limit is {max_bytes:,}): split it into "
                           f"smaller documents or raise --max-bytes", str(path))
    try:
        doc = read_document(path)
    except CorpusError as exc:
        raise ExtractError(exc.message, exc.file, exc.line) from None
    text = doc.text
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
    elif suffix in MARKDOWN_SUFFIXES:
        text = markdown_to_text(text)
    if not text.strip():
        raise ExtractError("no text left after removing markup", str(path))
    return text


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "pre", "title", "figcaption",
               "figure", "hr", "dt", "dd", "main", "aside", "nav", "td", "th"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class _TextParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page: one paragraph per block element, entities decoded.

    >>> html_to_text("<html><head><title>T</title><style>p{}</style></head><p>A &amp; B</p><p>C</p></html>")
    'T\\n\\nA & B\\n\\nC\\n'
    """
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.parts)
    title = " ".join("".join(parser.title).split())
    if title and title not in body:
        body = title + "\n\n" + body
    return _tidy(body)


def markdown_to_text(markup: str) -> str:
    """Text of a Markdown document: headings, emphasis, links, images and code marks removed.

    >>> markdown_to_text("# Title\\n\\nSome *bold* [link](http://x) and `code`.\\n")
    'Title\\n\\nSome bold link and code.\\n'
    """
    out = []
    in_fence = False
    for line in markup.splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            continue
        if re.match(r"^\s*\[[^\]]+\]:\s*\S+", line):          # link reference definitions
            continue
        if re.match(r"^\s*([-*_]\s*){3,}$", line):            # horizontal rules
            out.append("")
            continue
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)         # headings
        line = re.sub(r"\s#+\s*$", "", line)
        line = re.sub(r"^\s*>\s?", "", line)                  # block quotes
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # list markers
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)  # images
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)   # links
        line = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", line)
        line = re.sub(r"<[^>]+>", "", line)                    # inline HTML
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", line)
        line = line.replace("`", "")
        out.append(line)
    return _tidy("\n".join(out))
