"""``kg review FILE --html``: one offline page (no script, no network) that shows the document
with every candidate's evidence highlighted in place, its number beside it, and a table of every
candidate's fields, so a reviewer reads each claim in its context."""

from __future__ import annotations

import html
from pathlib import Path

from ..corpus import locate, read_document, read_yaml
from ..errors import CorpusError
from .model import ExtractError
from .review import _fields, _statement_kind

#: Highlight colour per class (light tints, readable on white).
COLOURS = {"Pressure": "#fde2e2", "Agreement": "#e2f0fd", "PolicyReversal": "#fdf1d8", "Policy": "#e6f6e2",
           "Statistic": "#efe6fb", "Actor": "#eeeeee"}

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;gap:1.5em;padding:1em}
#doc{flex:1 1 55%;white-space:pre-wrap;max-width:48em}
#cands{flex:1 1 45%;font-size:13px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:2px 4px;vertical-align:top;text-align:left}
mark{border-radius:2px;padding:0 1px}sup{font-size:10px;color:#555}
tr:target,mark:target{outline:2px solid #c00}
""" + "".join(f".k-{k}{{background:{c}}}" for k, c in COLOURS.items())


def write_html(path: Path, out: Path | None = None) -> Path:
    """Write the review page of the candidate file ``path`` (default: beside it, ``STEM.html``)."""

    path = Path(path)
    txt = path.with_suffix(".txt")
    if not txt.exists():
        raise ExtractError(f"candidate file without its document: {txt.name} is not beside it", str(path))
    doc = read_document(txt)
    data = read_yaml(path)
    things = {t["id"]: t.get("class", "") for t in (data.get("things") or []) if isinstance(t, dict) and "id" in t}
    rows, spans = [], []
    for n, item in enumerate((s for s in (data.get("statements") or []) if isinstance(s, dict)), 1):
        kind = _statement_kind(item, things, {})
        try:
            start, end = locate(doc, item.get("quote", ""), item.get("occurrence"), f"statement {n}", path,
                                item.get("__line__"))
        except CorpusError:
            start = end = -1
        rows.append((n, kind, item, _fields(item), start))
        if start >= 0:
            spans.append((start, end, n, kind))
    body = _marked(doc.text, spans)
    table = ["<table><tr><th>#</th><th>class</th><th>conf</th><th>review</th><th>agent</th><th>target</th>"
             "<th>value</th><th>status</th><th>hedge</th><th>rule</th></tr>"]
    for n, kind, item, f, start in rows:
        conf = item.get("confidence")
        link = f'<a href="#c{n}">{n}</a>' if start >= 0 else f"{n} (quote not found)"
        cells = [link, kind, f"{conf:.2f}" if isinstance(conf, (int, float)) else "",
                 str(item.get("review", "accepted")), f["agent"], f["target"], f["value"], f["status"], f["hedge"],
                 str(item.get("rule", ""))]
        table.append(f'<tr id="r{n}" class="k-{html.escape(kind)}">' +
                     "".join(f"<td>{c if i == 0 else html.escape(c)}</td>" for i, c in enumerate(cells)) + "</tr>")
    table.append("</table>")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Review: {html.escape(path.name)}</title><style>{_CSS}</style></head><body>"
            f"<div id=\"doc\">{body}</div><div id=\"cands\"><h2>{html.escape(path.name)}: {len(rows)} candidates</h2>"
            + "".join(table) + "</div></body></html>\n")
    out = Path(out) if out else path.with_suffix(".html")
    out.write_text(page, encoding="utf-8")
    return out


def _marked(text: str, spans: list[tuple[int, int, int, str]]) -> str:
    """The text, HTML-escaped, with each span wrapped in a mark (overlapping spans nest by
    splitting the text at every boundary); each candidate's number follows its evidence."""
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    ends_at: dict[int, list[tuple[int, str]]] = {}
    for s, e, n, kind in spans:
        ends_at.setdefault(e, []).append((n, kind))
    first_of = {}
    for s, e, n, kind in sorted(spans):
        first_of.setdefault(n, s)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(n, kind) for s, e, n, kind in spans if s <= a and b <= e]
        piece = html.escape(text[a:b])
        anchors = "".join(f'<a id="c{n}"></a>' for n, s in first_of.items() if s == a)
        if covering:
            n, kind = min(covering)
            piece = f'<mark class="k-{html.escape(kind)}" title="{" ".join(str(c) for c, _ in covering)}">{piece}</mark>'
        out.append(anchors + piece)
        if b in ends_at:
            out.append("".join(f'<sup><a href="#r{n}">[{n}]</a></sup>' for n, _ in sorted(ends_at[b])))
    return "".join(out)
