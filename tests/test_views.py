"""Views stage: styling, escaping, size limits and ego graphs of the HTML pages, the `kg view`
command, and every default view opened in real headless Chromium (rendered counts, a non-blank
screenshot, no request outside the page, hostile text shown as text)."""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from html import escape, unescape
from urllib.parse import unquote
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from kg import vocab
from kg.analysis import project
from kg.store.memory import MemoryStore
from kg.views import (COLLAPSED, DEFAULT_VIEWS, SHAPE_SVG, STYLE, ViewError, default_view_path, document_titles,
                      ego_graph, inline, page_data, prepare, view_html, write_default_views, write_store_view,
                      write_view)

from helpers import MINI, run_kg

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
NO_CHROMIUM = "Debian's chromium is not installed (apt-get install chromium)"


def chromium_or_skip() -> str:
    """The browser to drive; without one the test skips, except under ``CI=true``, where a
    missing browser must not pass silently: the test fails."""
    if CHROMIUM is None:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{NO_CHROMIUM}; CI=true requires the browser tests to run")
        pytest.skip(NO_CHROMIUM)
    return CHROMIUM

IMG = "<img src=x onerror=document.title='pwned'>"
SCRIPT = "<script>document.title='pwned'</script>"


# --- small graphs ---------------------------------------------------------------------------

def _ev(quote: str, file: str = "a.txt", start: int = 0) -> dict:
    return {"file": file, "start": start, "end": start + len(quote), "quote": quote}


def toy_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="toy")
    for node, cls in [("us", "State"), ("mx", "State"), ("gt", "State"), ("trump", "Person"), ("deal", "Agreement")]:
        g.add_node(node, label=node.upper(), cls=cls, dates=[], sources=["a.txt"], evidence=[_ev(f"about {node}")])
    for u, v, rel in [("us", "mx", "pressured"), ("gt", "mx", "pressured"), ("trump", "mx", "pressured"),
                      ("deal", "mx", "party"), ("deal", "us", "party"), ("deal", "us", "signedBy")]:
        g.add_edge(u, v, key=rel, relation=rel, sources=["a.txt"], evidence=[_ev(f"{u} {rel} {v}")])
    return g


def hostile_graph() -> nx.DiGraph:
    """Every text a document or curator controls carries markup that would run if parsed."""
    quote = f"he said {SCRIPT} &amp; </script><script>document.title='pwned'</script> {IMG}"
    ev = [{"file": f"{IMG}.txt", "start": 3, "end": 9, "quote": quote, "attributedTo": SCRIPT, "hedge": IMG}]
    a = "https://example.org/id/a\"><img src=x onerror=document.title='pwned'>"
    b = "https://example.org/id/</script><script>document.title='pwned'</script>"
    g = nx.DiGraph()
    g.add_node(a, label=IMG, cls=IMG, dates=[SCRIPT], sources=[f"{IMG}.txt"], evidence=ev)
    g.add_node(b, label=SCRIPT, cls="State", dates=["2019"], sources=["b.txt"], evidence=ev)
    g.add_edge(a, b, relation=IMG, weight=1, sources=[SCRIPT], evidence=ev,
               pressures=[{"pressure": SCRIPT, "label": SCRIPT, "instruments": [IMG], "types": [SCRIPT],
                           "demands": [IMG], "dates": [SCRIPT], "sources": [SCRIPT], "evidence": ev}])
    return g


def big_graph(n: int = 1200, m: int = 3600) -> nx.DiGraph:
    g = nx.gnm_random_graph(n, m, seed=3, directed=True)
    classes = list(STYLE)
    for v in g:
        g.nodes[v].update(label=f"node {v}", cls=classes[v % len(classes)], dates=[], sources=[], evidence=[])
    for u, v in g.edges:
        g.edges[u, v].update(relation="rel", sources=[], evidence=[])
    return g


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside each element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[str, list[str]] = {}
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._stack.append(dict(attrs).get("id") or tag)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack:
            self.text.setdefault(self._stack[-1], []).append(data)


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    return p


def page_json(page: str) -> dict:
    p = parse(page)
    return json.loads("".join(p.text["kg-data"]))


# --- styling --------------------------------------------------------------------------------

def _srgb_to_lab(hex_colour: str) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _deuteranopia(hex_colour: str) -> str:
    """Machado et al. (2009) severity-1 deuteranopia, in linear RGB."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def enc(c: float) -> int:
        c = min(max(c, 0.0), 1.0)
        return round(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055))
    r, g, b = (lin(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    m = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
    return "#" + "".join(f"{enc(a * r + b_ * g + c * b):02X}" for a, b_, c in m)


def test_every_class_has_its_own_colour_and_its_own_shape():
    for cls in (*vocab.THING_CLASSES, "Actor", "Document", "Thing", "Instrument"):
        assert cls in STYLE, cls
    for cls, style in STYLE.items():
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", style["color"]), cls
        assert style["shape"] in SHAPE_SVG, cls
    # no two classes share a colour, and no two share a shape
    assert len({s["color"].upper() for s in STYLE.values()}) == len(STYLE)
    assert len({s["shape"] for s in STYLE.values()}) == len(STYLE)
    # the pairs a reader confused: now apart in hue and form
    for a, b in [("Person", "State"), ("Place", "CivilSocietyOrganization")]:
        assert STYLE[a]["shape"] != STYLE[b]["shape"] and STYLE[a]["color"] != STYLE[b]["color"]
    # colour-blind check: the actor classes drawn most often stay apart under deuteranopia (CIE76 ΔE)
    main = ["Person", "State", "GovernmentBody", "Administration", "Policy", "Agreement", "Pressure", "PolicyReversal"]
    for i, a in enumerate(main):
        for b in main[i + 1:]:
            la, lb = _srgb_to_lab(_deuteranopia(STYLE[a]["color"])), _srgb_to_lab(_deuteranopia(STYLE[b]["color"]))
            assert sum((x - y) ** 2 for x, y in zip(la, lb)) ** 0.5 > 10, (a, b)


def test_the_legend_draws_each_class_with_its_page_shape_and_a_filter_box(mini_store):
    page = view_html(project(mini_store, "full"), "Full")
    data = page_json(page)
    for item in data["legend"]:
        cls = item["cls"]
        assert f'data-cls="{cls}" checked' in page
        assert SHAPE_SVG[STYLE[cls]["shape"]] in page
        # the canvas picture is the same shape in the same colour
        picture = unquote(data["classes"][cls]["image"])
        assert SHAPE_SVG[STYLE[cls]["shape"]] in picture and STYLE[cls]["color"] in picture


def test_nodes_take_their_class_style_and_size_by_centrality():
    data = page_data(toy_graph(), size_by="pagerank")
    nodes = {n["iri"]: n for n in data["nodes"]}
    for n in nodes.values():
        assert (n["color"], n["shape"]) == (STYLE[n["cls"]]["color"], STYLE[n["cls"]]["shape"])
        assert data["classes"][n["cls"]]["image"].startswith("data:image/svg+xml")
    assert max(nodes.values(), key=lambda n: n["size"])["iri"] == "mx"  # everything points at Mexico
    assert nodes["mx"]["scores"]["pagerank"] > nodes["gt"]["scores"]["pagerank"]
    by_degree = {n["iri"]: n["size"] for n in page_data(toy_graph(), size_by="degree")["nodes"]}
    assert max(by_degree, key=by_degree.get) in ("mx", "us")
    assert len({n["size"] for n in page_data(toy_graph(), size_by=None)["nodes"]}) == 1
    assert {(i["cls"], i["count"]) for i in data["legend"]} == {("State", 3), ("Person", 1), ("Agreement", 1)}
    # edges keep their relation as label; parallel edges get their own curve
    edges = data["edges"]
    assert sorted(e["label"] for e in edges) == ["party", "party", "pressured", "pressured", "pressured", "signedBy"]
    deal_us = [e["curve"] for e in edges if {e["from"], e["to"]} == {nodes["deal"]["id"], nodes["us"]["id"]}]
    assert sorted(deal_us) == [0, 0.2]
    assert data["directed"] and data["options"]["edges"]["arrows"]["to"]["enabled"]


def test_unknown_class_falls_back_to_thing_and_unlabelled_nodes_show_their_local_name():
    g = nx.Graph()
    g.add_node("https://w3id.org/migration-kg/id/ev-12", cls="Mystery")
    data = page_data(g)
    node = data["nodes"][0]
    assert (node["color"], node["shape"]) == (STYLE["Thing"]["color"], STYLE["Thing"]["shape"])
    assert node["label"] == "ev-12" and node["iri"] == "https://w3id.org/migration-kg/id/ev-12"
    assert not data["directed"] and not data["options"]["edges"]["arrows"]["to"]["enabled"]


def test_unknown_size_measure_and_bad_limits_are_errors():
    with pytest.raises(ViewError, match="size measure"):
        view_html(toy_graph(), "t", size_by="closeness")
    with pytest.raises(ViewError, match="max_nodes"):
        view_html(toy_graph(), "t", max_nodes=0)


def test_pressure_edges_carry_each_pressure_with_instrument_demand_date_and_quotes(mini_store):
    data = page_data(project(mini_store, "pressure"))
    (edge,) = data["edges"]
    (p,) = edge["pressures"]
    assert p["label"] == "Trump's tariff threat"
    assert p["instruments"] == ["tariff threat"] and p["demands"] == ["stop migration"] and p["dates"] == ["2019-05"]
    (q,) = p["evidence"]
    assert q["file"] == "001_tariffs.txt" and q["quote"].startswith("In late May 2019, President Donald Trump threatened")
    assert q["end"] - q["start"] == len(q["quote"])
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert (labels[edge["from"]], labels[edge["to"]], edge["relation"]) == ("Donald Trump", "Mexico", "pressured")


def test_long_evidence_lists_are_cut_and_counted():
    g = nx.Graph()
    g.add_node("x", label="x", cls="State", evidence=[_ev(f"quote {i}", start=i) for i in range(30)])
    (node,) = page_data(g)["nodes"]
    assert len(node["evidence"]) == 12 and node["more"] == 18


# --- the page: self-contained, escaped once -------------------------------------------------

ALLOWED_TAGS = {"html", "head", "meta", "link", "title", "style", "body", "header", "h1", "h2", "span", "form",
                "label", "input", "main", "div", "aside", "ul", "li", "svg", "circle", "rect", "polygon", "path", "p",
                "script", "section", "button"}


def assert_self_contained(page: str) -> None:
    tags = parse(page).tags
    assert {t for t, _ in tags} <= ALLOWED_TAGS, {t for t, _ in tags} - ALLOWED_TAGS
    scripts = [a for t, a in tags if t == "script"]
    assert len(scripts) == 3 and not any("src" in a for a in scripts)
    assert scripts[0].get("type") == "application/json"
    for tag, attrs in tags:
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            if name in attrs:
                assert attrs[name].startswith("data:"), (tag, name, attrs[name])
    css = "".join(parse(page).text.get("style", []))
    assert "@import" not in css and not re.search(r"url\((?!\s*[\"']?data:)", css)
    assert "bootstrap" not in page and "cdn" not in page.lower().replace("cdnjs", "")


def test_page_is_self_contained(mini_store):
    page = view_html(project(mini_store, "full"), "Full")
    assert_self_contained(page)
    assert "new vis.Network" in page and "vis-network" in page  # vis-network inlined


def test_document_text_is_escaped_exactly_once():
    title = f"Views of {SCRIPT} & {IMG}"
    page = view_html(hostile_graph(), title)
    assert_self_contained(page)
    low = page.lower()
    assert "<img" not in low and "<script>document" not in low
    p = parse(page)
    assert "".join(p.text["title"]) == title and "".join(p.text["h1"]) == title
    assert escape(escape(title)) not in page
    data = page_json(page)
    labels = sorted(n["label"] for n in data["nodes"])
    assert labels == sorted([IMG, SCRIPT])
    quote = data["nodes"][0]["evidence"][0]["quote"]
    assert "&amp; </script>" in quote  # the document's own "&amp;" stays as written
    (edge,) = data["edges"]
    assert edge["relation"] == IMG and edge["pressures"][0]["instruments"] == [IMG]
    assert f'<span class="kg-cls">{escape(IMG)}</span>' in page  # the legend names the class as text


def test_inline_is_a_sandboxed_srcdoc_iframe_of_the_page(mini_store):
    g = project(mini_store, "pressure")
    frame = inline(g, "Pressure <b>network</b>", height=500)
    tags = parse(frame).tags
    assert [t for t, _ in tags] == ["iframe"]
    attrs = tags[0][1]
    assert attrs["sandbox"] == "allow-scripts" and "500px" in attrs["style"]
    assert attrs["srcdoc"] == view_html(g, "Pressure <b>network</b>")
    assert "<script" not in frame and "<b>" not in frame


# --- size limits and ego graphs ---------------------------------------------------------------

def test_large_graphs_keep_their_most_central_nodes_and_say_so():
    g = nx.star_graph(299)  # hub 0 and 299 leaves
    nx.set_node_attributes(g, "State", "cls")
    g.add_edges_from([(1, 2), (2, 3)])
    data = page_data(g, max_nodes=50, size_by="degree")
    assert len(data["nodes"]) == 50
    kept = {n["iri"] for n in data["nodes"]}
    assert {"0", "2", "1", "3"} <= kept
    assert data["total"] == {"nodes": 300, "edges": 301}
    assert "50 most central of 300 nodes" in data["note"]
    page = view_html(g, "star", max_nodes=50)
    assert "Showing the 50 most central of 300 nodes (by PageRank)" in "".join(parse(page).text["kg-note"])
    assert page_data(g, max_nodes=300)["note"] is None
    assert 'id="kg-note"' not in view_html(g, "star", max_nodes=5000)


def test_the_focus_of_an_ego_graph_survives_the_limit():
    g = nx.star_graph(99)
    g.add_edge(200, 99)
    ego = ego_graph(g, 200, 2)
    assert set(ego) == {200, 99, 0}
    nodes = page_data(ego_graph(g, 200, 3), max_nodes=3)["nodes"]
    assert "200" in {n["iri"] for n in nodes}
    assert [n["iri"] for n in nodes if n["focus"]] == ["200"]


def test_ego_graph_follows_edges_both_ways_and_keeps_attributes():
    g = toy_graph()
    ego = ego_graph(g, "trump", 1)
    assert set(ego) == {"trump", "mx"} and ego.graph["focus"] == "trump"
    assert set(ego_graph(g, "trump", 2)) == {"trump", "mx", "us", "gt", "deal"}
    assert set(ego_graph(g, "trump", 0)) == {"trump"}
    assert ego.nodes["mx"]["label"] == "MX"
    assert ego.edges["trump", "mx", "pressured"]["evidence"][0]["quote"] == "trump pressured mx"
    assert ego.number_of_edges() == 1 and isinstance(ego, nx.MultiDiGraph)
    assert "trump" in g and g.graph.get("focus") is None  # the original is untouched
    with pytest.raises(ViewError, match="not in this graph"):
        ego_graph(g, "nobody", 1)


# --- writing files ------------------------------------------------------------------------

def test_write_view_writes_atomically_and_returns_the_path(tmp_path):
    path = write_view(toy_graph(), tmp_path / "sub" / "toy.html", "Toy")
    assert path == tmp_path / "sub" / "toy.html"
    assert path.read_text(encoding="utf-8") == view_html(toy_graph(), "Toy")
    assert [p.name for p in path.parent.iterdir()] == ["toy.html"]  # no temporary files left


def test_write_default_views_accepts_a_dataset_or_a_store(tmp_path, mini_store):
    paths = write_default_views(mini_store.dataset, tmp_path / "a")
    assert [p.name for p in paths] == ["full.html", "pressure.html", "policy.html"]
    assert list(DEFAULT_VIEWS) == ["full", "pressure", "policy"]
    for p in paths:
        data = page_json(p.read_text(encoding="utf-8"))
        g = project(mini_store, p.stem)
        assert (len(data["nodes"]), len(data["edges"])) == (g.number_of_nodes(), g.number_of_edges())
    again = write_default_views(mini_store, tmp_path / "b")
    assert [p.read_text() for p in again] == [p.read_text() for p in paths]  # reproducible
    assert isinstance(mini_store.dataset, Dataset)



def test_default_views_load_quotes_lazily_and_draw_the_same_page(tmp_path, memory_store):
    # the views project without quotes and load them only for what they show: same page
    paths = write_default_views(memory_store, tmp_path)
    titles = document_titles(memory_store)
    assert titles and all(t and not t.endswith(".txt") for t in titles.values())
    for path in paths:
        g = project(memory_store, path.stem)
        g.graph["documents"] = titles  # the document filter names each document by its title
        expected = view_html(g, DEFAULT_VIEWS[path.stem])
        assert path.read_text(encoding="utf-8") == expected


def test_prepare_loads_the_quotes_of_the_nodes_a_cut_page_keeps(memory_store):
    g = project(memory_store, "full", evidence=False)
    shown = prepare(memory_store, g, max_nodes=20)
    assert len(shown) == 20 and shown.graph["limited"]["nodes"] == len(g)
    assert all(d["evidence"] for _, d in shown.nodes(data=True) if d["sources"])
    # the projection itself is untouched
    assert all(d["evidence"] == [] for _, d in g.nodes(data=True))
    assert all(d["evidence"] == [] for _, _, d in g.edges(data=True))
    pressure = project(memory_store, "pressure", evidence=False)
    prepare(memory_store, pressure)
    assert all(p["evidence"] == [] for _, _, d in pressure.edges(data=True) for p in d["pressures"])
    data = page_data(shown, max_nodes=20)
    assert data["note"].startswith("Showing the 20 most central of") and data["total"]["nodes"] == len(g)

def test_write_store_view_focus(tmp_path, mini_store):
    path = write_store_view(mini_store, tmp_path / "t.html", "full", focus="Donald Trump", depth=1)
    data = page_json(path.read_text(encoding="utf-8"))
    assert {n["label"] for n in data["nodes"] if n["focus"]} == {"Donald Trump"}
    assert {n["label"] for n in data["nodes"]} == {"Donald Trump", "Mexico", "Trump's tariff threat"}
    with pytest.raises(ViewError, match="--focus 'Nobody': unknown entity"):
        write_store_view(mini_store, tmp_path / "u.html", "full", focus="Nobody")
    with pytest.raises(ViewError, match="not in the pressure view"):
        write_store_view(mini_store, tmp_path / "u.html", "pressure", focus="National Guard deployment")
    with pytest.raises(ViewError, match="unknown kind"):
        write_store_view(mini_store, tmp_path / "u.html", "nope")


# --- the console command ----------------------------------------------------------------

@pytest.fixture(scope="module")
def mini_build(tmp_path_factory):
    """`kg build` of the tiny corpus, run as a user would, default views included."""
    out = tmp_path_factory.mktemp("mini-build")
    proc = run_kg("build", "--seeds", str(MINI), "--out", str(out))
    return proc, out


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory):
    from kg.build import build

    out = tmp_path_factory.mktemp("mini-store")
    return MemoryStore(build(MINI, out).dataset)


def test_kg_build_writes_the_default_views(mini_build):
    proc, out = mini_build
    assert proc.returncode == 0, proc.stderr
    for name in ("full", "pressure", "policy"):
        path = out / "views" / f"{name}.html"
        assert f"view: {path}" in proc.stdout
        assert_self_contained(path.read_text(encoding="utf-8"))


def test_kg_view_pressure_writes_the_page(mini_build, mini_store, tmp_path):
    _, out = mini_build
    target = tmp_path / "pressure.html"
    proc = run_kg("view", "--kind", "pressure", "--data", str(out), "--out", str(target))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {target}"
    data = page_json(target.read_text(encoding="utf-8"))
    g = project(mini_store, "pressure")
    assert (len(data["nodes"]), len(data["edges"])) == (g.number_of_nodes(), g.number_of_edges())


def test_kg_view_focus_and_unknown_entity(mini_build):
    _, out = mini_build
    proc = run_kg("view", "--focus", "Donald Trump", "--depth", "1", "--data", str(out), "--store", "memory")
    assert proc.returncode == 0, proc.stderr
    path = out / "views" / "full-donald-trump.html"
    assert proc.stdout.strip() == f"wrote {path}" and path.exists()
    bad = run_kg("view", "--focus", "Nobody At All", "--data", str(out))
    assert bad.returncode == 1
    assert bad.stderr.strip() == "error: --focus 'Nobody At All': unknown entity (no id, IRI or name matches)"
    assert bad.stdout == ""
    missing = run_kg("view", "--data", str(out / "nowhere"))
    assert missing.returncode == 1 and missing.stderr.startswith("error: ") and "Traceback" not in missing.stderr


# --- headless Chromium over the DevTools protocol (on a pipe: no port, no extra package) -----------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-extensions",
                  "--disable-default-apps", "--mute-audio", "--host-resolver-rules=MAP * ~NOTFOUND",
                  "--window-size=1400,1000"]


class Browser:
    """Headless Chromium driven with the DevTools protocol over ``--remote-debugging-pipe``."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        to_chrome, self._out = os.pipe()
        self._in, from_chrome = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4: move the pipe ends there
        # in the child (from copies numbered 5 or more, so the two moves cannot collide)
        a, b = fcntl.fcntl(to_chrome, fcntl.F_DUPFD, 5), fcntl.fcntl(from_chrome, fcntl.F_DUPFD, 5)

        def to_3_and_4():
            os.dup2(a, 3)
            os.dup2(b, 4)

        cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(cmd, pass_fds=(3, 4), preexec_fn=to_3_and_4, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (to_chrome, from_chrome, a, b):
            os.close(fd)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer")
            if select.select([self._in], [], [], left)[0]:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed its pipe")
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, match, timeout: float = 20) -> dict:
        """The first event, seen or still to come, for which ``match(event)`` is true."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if match(event):
                    return event
            seen = len(self.events)
            message = self._message(deadline)
            if "method" in message:
                self.events.append(message)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._out)
        os.close(self._in)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab: navigate, evaluate, move the mouse, take screenshots; records its events."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 1000, "deviceScaleFactor": 1,
                                                         "mobile": False})

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, session=self.session)

    def eval(self, expression: str, context: int | None = None):
        params = {"expression": expression, "returnByValue": True}
        if context is not None:
            params["contextId"] = context
        result = self.send("Runtime.evaluate", params)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = 30, context: int | None = None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression, context)
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"never true: {expression}")

    def open(self, path: Path, timeout: float = 30) -> None:
        self.url = path.resolve().as_uri()
        self.since = len(self.browser.events)  # events() and requests() from here on
        self.send("Page.navigate", {"url": self.url})
        self.wait("(document.getElementById('kg-status') || {dataset: {}}).dataset.state === 'ready'", timeout)

    def status(self) -> dict:
        return self.eval("Object.assign({}, document.getElementById('kg-status').dataset)")

    def events(self, *methods: str) -> list[dict]:
        self.send("Runtime.evaluate", {"expression": "0"})  # flush pending events
        return [e for e in self.browser.events[getattr(self, "since", 0):]
                if e.get("sessionId") == self.session and e["method"] in methods]

    def requests(self) -> list[str]:
        """What the page fetched, its own data: URIs (the class pictures) left out: they are inside it."""
        return [e["params"]["request"]["url"] for e in self.events("Network.requestWillBeSent")
                if not e["params"]["request"]["url"].startswith("data:")]

    def problems(self) -> list[str]:
        out = [json.dumps(e["params"])[:300] for e in self.events("Runtime.exceptionThrown")]
        out += [e["params"]["entry"]["text"] for e in self.events("Log.entryAdded")
                if e["params"]["entry"]["level"] in ("error", "warning")]
        out += [str(e["params"]["args"]) for e in self.events("Runtime.consoleAPICalled")
                if e["params"]["type"] in ("error", "warning", "assert")]
        return out

    def hover(self, x: float, y: float) -> None:
        for dx in (3, 0):  # a move onto the point, not just a jump
            self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + dx, "y": y, "button": "none"})

    def screenshot(self):
        from PIL import Image

        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        return Image.open(io.BytesIO(png)).convert("RGB")

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


NODE_POINT = """(id => { const n = kg.network, d = n.canvasToDOM(n.getPosition(id)),
  r = document.getElementById('kg-network').getBoundingClientRect(); return [d.x + r.left, d.y + r.top]; })(%s)"""
EDGE_POINT = """(id => { const n = kg.network, e = kg.edges.get(id), a = n.getPosition(e.from), b = n.getPosition(e.to),
  d = n.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}),
  r = document.getElementById('kg-network').getBoundingClientRect(); return [d.x + r.left, d.y + r.top]; })(%s)"""
RECT = "(s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })(%r)"


@pytest.fixture(scope="module")
def browser():
    chromium_or_skip()
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def page(browser):
    p = Page(browser)
    yield p
    p.close()


def assert_rendered(page: Page, g: nx.Graph, path: Path) -> None:
    """The page drew the whole projection, drew something visible, and fetched nothing else."""
    status = page.status()
    assert (int(status["nodes"]), int(status["edges"])) == (g.number_of_nodes(), g.number_of_edges()), path.name
    # every node of the projection is in the page's data set (folded ones hidden), plus one node per group
    assert page.eval("kg.nodes.get({filter: n => n.kind !== 'group'}).length") == g.number_of_nodes()
    img = page.screenshot()
    left, top, right, bottom = page.eval(RECT % "#kg-network")
    legend_right = page.eval(RECT % "#kg-legend")[2]
    canvas = img.crop((int(legend_right) + 1, int(top) + 1, int(right) - 1, int(bottom) - 1))
    colours = canvas.getcolors(maxcolors=1 << 20)
    assert len(colours) > 20, f"{path.name}: blank canvas ({len(colours)} colours)"
    drawn = {c for _, c in colours}
    node_colours = {tuple(int(STYLE.get(d.get("cls"), STYLE["Thing"])["color"][i:i + 2], 16) for i in (1, 3, 5))
                    for _, d in g.nodes(data=True)}
    assert drawn & node_colours, f"{path.name}: no node fill colour on the canvas"
    assert set(page.requests()) == {page.url}, page.requests()
    assert page.problems() == []


@pytest.mark.browser
@pytest.mark.parametrize("name", list(DEFAULT_VIEWS))
def test_default_views_render_in_chromium(name, mini_build, mini_store, page):
    _, out = mini_build
    path = out / "views" / f"{name}.html"
    page.open(path)
    assert_rendered(page, project(mini_store, name), path)


@pytest.mark.browser
def test_seed_graph_views_render_in_chromium(memory_store, tmp_path, page):
    paths = write_default_views(memory_store, tmp_path)
    for path in paths:
        g = project(memory_store, path.stem)
        assert g.number_of_nodes() <= 2000
        page.open(path)
        assert_rendered(page, g, path)


@pytest.mark.browser
def test_a_large_graph_is_cut_settles_and_says_so(tmp_path, page):
    g = big_graph()
    path = write_view(g, tmp_path / "big.html", "Big", max_nodes=400)
    page.open(path, timeout=40)
    status = page.status()
    shown = page_json(path.read_text(encoding="utf-8"))
    assert int(status["nodes"]) == 400 and int(status["edges"]) == len(shown["edges"])
    assert page.eval("document.getElementById('kg-note').textContent").startswith(
        "Showing the 400 most central of 1,200 nodes")
    assert page.eval("kg.network.physics.options.enabled") is False  # physics off once stable
    assert set(page.requests()) == {page.url} and page.problems() == []


@pytest.mark.browser
def test_an_empty_graph_renders_an_empty_page(tmp_path, page):
    page.open(write_view(nx.DiGraph(), tmp_path / "empty.html", "Nothing yet"))
    status = page.status()
    assert {k: status[k] for k in ("state", "nodes", "edges", "shown", "groups")} == \
        {"state": "ready", "nodes": "0", "edges": "0", "shown": "0", "groups": "0"}
    assert set(page.requests()) == {page.url} and page.problems() == []


@pytest.mark.browser
def test_hostile_text_shows_as_text_and_runs_nothing(tmp_path, page):
    title = f"Views of {SCRIPT} & {IMG}"
    path = write_view(hostile_graph(), tmp_path / "hostile.html", title)
    page.open(path)
    assert page.eval("document.title") == title
    assert page.eval("document.querySelectorAll('img').length") == 0
    assert page.eval("document.scripts.length") == 3
    assert page.eval("document.querySelector('h1').textContent") == title
    assert IMG in page.eval("document.getElementById('kg-legend').textContent")
    node = next(n["id"] for n in page_json(path.read_text(encoding="utf-8"))["nodes"] if n["label"] == IMG)
    page.hover(*page.eval(NODE_POINT % node))
    page.wait("!document.getElementById('kg-tip').hidden", 5)
    tip = page.eval("document.getElementById('kg-tip').textContent")
    assert IMG in tip and SCRIPT in tip and "&amp; </script>" in tip and "&lt;" not in tip
    assert "class: " + IMG in tip and "attributed to " + SCRIPT in tip
    right, bottom = page.eval(RECT % "#kg-network")[2:]
    page.hover(right - 8, bottom - 8)  # away, onto empty canvas, so the node tooltip closes
    page.wait("document.getElementById('kg-tip').hidden", 5)
    page.hover(*page.eval(EDGE_POINT % 0))
    page.wait("!document.getElementById('kg-tip').hidden", 5)
    tip = page.eval("document.getElementById('kg-tip').textContent")
    assert f"{IMG} \u2014 {IMG} \u2192 {SCRIPT}" in tip  # from, relation, to
    assert f"instrument: {IMG}" in tip and f"demand: {IMG}" in tip and f"date: {SCRIPT}" in tip
    # the side panel, for a node and for an edge, shows the same text as text
    click(page, *page.eval(NODE_POINT % node))
    page.wait("!document.getElementById('kg-panel').hidden", 5)
    panel = page.eval("document.getElementById('kg-panel').textContent")
    assert IMG in panel and SCRIPT in panel and "&amp; </script>" in panel and "&lt;" not in panel
    assert f"{IMG} \u2192 " in panel  # its statement: the relation named IMG
    page.eval("document.querySelector('#kg-panel .kg-edge-link').click()")
    panel = page.eval("document.getElementById('kg-panel').textContent")
    assert f"{IMG} \u2014 {IMG} \u2192 {SCRIPT}" in panel and f"instrument: {IMG}" in panel
    assert page.eval("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.eval("document.scripts.length") == 3
    assert page.eval("document.title") == title and "pwned" != page.eval("document.title")
    assert set(page.requests()) == {page.url} and page.problems() == []


@pytest.mark.browser
def test_inline_iframe_renders_offline(tmp_path, page, mini_store):
    g = project(mini_store, "full")
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{inline(g, 'Inline <view>')}</body></html>", encoding="utf-8")
    page.url = host.as_uri()
    # the sandboxed iframe runs in its own process: attach to it before it starts
    page.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})
    page.send("Page.navigate", {"url": page.url})
    attached = page.browser.wait_event(lambda e: e["method"] == "Target.attachedToTarget"
                                       and e.get("sessionId") == page.session)
    frame = Page.__new__(Page)
    frame.browser, frame.session = page.browser, attached["params"]["sessionId"]
    for domain in ("Runtime", "Network", "Log"):
        frame.send(f"{domain}.enable")
    frame.send("Runtime.runIfWaitingForDebugger")
    frame.wait("(document.getElementById('kg-status') || {dataset: {}}).dataset.state === 'ready'", 20)
    assert frame.eval("[document.getElementById('kg-status').dataset.nodes, document.title]") == \
        [str(g.number_of_nodes()), "Inline <view>"]
    assert frame.eval("document.scripts.length") == 3
    assert set(page.requests()) == {page.url}
    assert [u for u in frame.requests() if not u.startswith(("about:", "data:"))] == []
    assert page.problems() == [] and frame.problems() == []


# --- the skip helper --------------------------------------------------------------------------

def test_a_missing_browser_skips_but_fails_under_ci(monkeypatch):
    monkeypatch.setitem(chromium_or_skip.__globals__, "CHROMIUM", None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        chromium_or_skip()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        chromium_or_skip()


# --- folding, documents, dates and file names (no browser) ---------------------------------------

def test_statistics_and_documents_fold_into_groups_at_their_best_connected_neighbour():
    g = nx.DiGraph()
    g.add_node("mx", label="Mexico", cls="State")
    g.add_node("us", label="United States", cls="State")
    g.add_node("p", label="a policy", cls="Policy")
    g.add_edges_from([("p", "mx"), ("us", "mx"), ("p", "us")])
    for i in range(3):
        g.add_node(f"s{i}", label=f"stat {i}", cls="Statistic")
        g.add_edge(f"s{i}", "mx")
    g.add_edge("s0", "p")
    g.add_node("lone", label="lonely stat", cls="Statistic")  # one at its anchor: not folded
    g.add_edge("lone", "us")
    for v in g:
        g.nodes[v].update(dates=[], sources=[], evidence=[])
    data = page_data(g, size_by=None)
    ids = {n["iri"]: n["id"] for n in data["nodes"]}
    (group,) = data["groups"]
    assert group["cls"] == "Statistic" and group["anchor"] == ids["mx"] and group["label"] == "3 statistics"
    assert group["members"] == sorted(ids[f"s{i}"] for i in range(3))
    assert group["neighbours"] == sorted([ids["mx"], ids["p"]])
    assert set(COLLAPSED) == {"Statistic", "Document"}
    # the focus is never folded away
    focused = ego_graph(g, "s1", 2)
    assert all(ids_ := [n["id"] for n in page_data(focused, size_by=None)["nodes"] if n["iri"] == "s1"])
    assert all(ids_[0] not in gr["members"] for gr in page_data(focused, size_by=None)["groups"])


def test_the_page_lists_documents_by_title_and_the_span_of_dates(memory_store):
    g = project(memory_store, "policy")
    g.graph["documents"] = document_titles(memory_store)
    data = page_data(g)
    files = {f for _, d in g.nodes(data=True) for f in d["sources"]}
    assert {d["file"] for d in data["documents"]} >= files
    by_file = {d["file"]: d["title"] for d in data["documents"]}
    assert all(t != f for f, t in by_file.items())  # every seed document has a title
    dates = sorted({x for _, d in g.nodes(data=True) for x in d["dates"]})
    assert data["dates"] == [dates[0], dates[-1]]


def test_focus_file_names_are_readable_and_never_shared(tmp_path, mini_store):
    base = "https://w3id.org/migration-kg/id/"
    names = {default_view_path(tmp_path, "full", base + slug).name
             for slug in ("andres-manuel-lopez-obrador", "lopez-obrador-administration")}
    assert names == {"full-andres-manuel-lopez-obrador.html", "full-lopez-obrador-administration.html"}
    # IRIs outside the project's ids: a readable slug (accents folded, any script kept) and a hash
    a = default_view_path(tmp_path, "full", "https://example.org/L%C3%B3pez", "López").name
    b = default_view_path(tmp_path, "full", "https://example.org/Lopez", "Lopez").name
    assert a.startswith("full-lopez_") and b.startswith("full-lopez_") and a != b
    c = default_view_path(tmp_path, "full", "https://example.org/x", "Андрей").name
    assert c.startswith("full-андрей_")
    assert default_view_path(tmp_path, "full").name == "full.html"
    # the command names the file after the entity the focus resolves to: one name per entity
    one = write_store_view(mini_store, None, "full", focus="Donald Trump", data_dir=tmp_path)
    two = write_store_view(mini_store, None, "full", focus="donald trump", data_dir=tmp_path)
    assert one == two == tmp_path / "views" / "full-donald-trump.html"


# --- legibility, filters and the side panel in Chromium, at 1400×1000 ----------------------------

#: Reads, after the page is ready, every visible node's label box and shape box on screen from
#: vis-network itself (positions, label sizes, scale), not from the page's own layout code.
MEASURE = """(() => {
  const net = kg.network, s = net.getScale(), stage = document.getElementById('kg-network');
  const W = stage.clientWidth, H = stage.clientHeight, labels = [], shapes = [];
  for (const id of net.body.nodeIndices) {
    const n = net.body.nodes[id];
    if (n.options.hidden) continue;
    const c = net.canvasToDOM({x: n.x, y: n.y}), half = n.shape.width / 2 * s;
    const shape = {id: String(id), l: c.x - half, r: c.x + half, t: c.y - half, b: c.y + half};
    if (shape.r <= 0 || shape.l >= W || shape.b <= 0 || shape.t >= H) continue;  // off screen
    shapes.push(shape);
    const z = n.labelModule.size;
    if (!n.options.label || !z.width) continue;
    const a = net.canvasToDOM({x: z.left, y: z.top}), b = net.canvasToDOM({x: z.left + z.width, y: z.top + z.height});
    labels.push({id: String(id), text: n.options.label, l: a.x, t: a.y, r: b.x, b: b.y,
                 px: n.labelModule.fontOptions.size * s});
  }
  const hit = (A, B) => A.l < B.r && B.l < A.r && A.t < B.b && B.t < A.b;
  const overlaps = [], covers = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++)
      if (hit(labels[i], labels[j])) overlaps.push([labels[i].text, labels[j].text]);
  for (const A of labels) for (const S of shapes) if (S.id !== A.id && hit(A, S)) covers.push([A.text, S.id]);
  return {scale: s, labels: labels.length, shapes: shapes.length, ids: labels.map(b => b.id),
          minPx: labels.length ? Math.min(...labels.map(b => b.px)) : null, overlaps, covers};
})()"""
MIN_PX = 11
CLICK_NODE = """(id => { const n = kg.network, r = document.getElementById('kg-network').getBoundingClientRect();
  let d = n.canvasToDOM(n.getPosition(id));
  if (d.x < 40 || d.y < 40 || d.x > r.width - 40 || d.y > r.height - 40) {
    n.moveTo({position: n.getPosition(id), scale: n.getScale(), animation: false}); d = n.canvasToDOM(n.getPosition(id)); }
  return [d.x + r.left, d.y + r.top]; })(%s)"""
SEED_TEXT: dict[str, str] = {}


def seed_text(file: str) -> str:
    if file not in SEED_TEXT:
        SEED_TEXT[file] = (Path(__file__).resolve().parents[1] / "seeds" / file).read_text(encoding="utf-8")
    return SEED_TEXT[file]


@pytest.fixture(scope="module")
def seed_views(memory_store, tmp_path_factory):
    """The full, policy and López Obrador ego (depth 2) views of the seed graph."""
    out = tmp_path_factory.mktemp("seed-views")
    paths = dict(zip(DEFAULT_VIEWS, write_default_views(memory_store, out)))
    paths["ego"] = write_store_view(memory_store, None, "full", focus="López Obrador", depth=2, data_dir=out)
    return paths


def click(page: Page, x: float, y: float) -> None:
    page.hover(x, y)
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})


@pytest.mark.browser
@pytest.mark.parametrize("name", ["full", "ego", "policy"])
def test_views_open_legible_with_no_label_overlapping_another(name, seed_views, page, tmp_path):
    path = seed_views[name]
    assert path.name != "full-l-pez-obrador.html"
    page.open(path, timeout=60)
    m = page.eval(MEASURE)
    page.screenshot().save(tmp_path / f"{name}.png")  # kept for a look when the test fails
    assert m["minPx"] is not None and m["minPx"] >= MIN_PX, f"{name}: labels {m['minPx']:.1f} px on screen"
    assert m["labels"] >= 12, f"{name}: only {m['labels']} labels on screen"
    assert m["overlaps"] == [], f"{name}: {len(m['overlaps'])} overlapping labels, e.g. {m['overlaps'][:3]}"
    assert m["covers"] == [], f"{name}: {len(m['covers'])} labels over other nodes, e.g. {m['covers'][:3]}"
    data = page_json(path.read_text(encoding="utf-8"))
    if name == "ego":
        (focus,) = [n for n in data["nodes"] if n["focus"]]
        assert focus["label"] == "Andrés Manuel López Obrador" and str(focus["id"]) in m["ids"]
        assert path.name == "full-andres-manuel-lopez-obrador.html"
    if name == "full":  # statistics are folded, so the page opens with fewer nodes than it holds
        assert int(page.status()["shown"]) < len(data["nodes"]) and data["groups"]
    assert set(page.requests()) == {page.url} and page.problems() == []


@pytest.mark.browser
def test_expanding_the_folded_statistics_shows_them_still_without_overlap(seed_views, page):
    path = seed_views["full"]
    page.open(path, timeout=60)
    data = page_json(path.read_text(encoding="utf-8"))
    folded = {m for g in data["groups"] for m in g["members"]}
    before = int(page.status()["shown"])
    page.eval("document.getElementById('kg-expand').click()")
    status = page.status()
    assert int(status["shown"]) == before + len(folded) and status["groups"] == "0"
    assert page.eval("kg.nodes.get({filter: n => n.kind === 'group' && !n.hidden}).length") == 0
    stats = [n["id"] for n in data["nodes"] if n["cls"] == "Statistic"]
    assert page.eval(f"{json.dumps(stats)}.every(id => !kg.nodes.get(id).hidden)")
    m = page.eval(MEASURE)
    assert m["overlaps"] == [] and m["covers"] == [] and m["labels"] >= 12
    page.eval("document.getElementById('kg-expand').click()")  # and fold them again
    assert int(page.status()["shown"]) == before


def _overlaps(date: str, lo: str, hi: str) -> bool:
    start = date + {4: "-01-01", 7: "-01"}.get(len(date), "")
    end = date + {4: "-12-31", 7: "-31"}.get(len(date), "")
    return start <= hi and end >= lo


@pytest.mark.browser
def test_filters_hide_nodes_by_class_document_and_date(seed_views, memory_store, page):
    path = seed_views["full"]
    page.open(path, timeout=60)
    data = page_json(path.read_text(encoding="utf-8"))
    g = project(memory_store, "full", evidence=False)
    folded = {m for gr in data["groups"] for m in gr["members"]}
    iri = {n["id"]: n["iri"] for n in data["nodes"]}
    open_ = [i for i in iri if i not in folded]  # what the page shows before any filter
    assert int(page.status()["shown"]) == len(open_)

    def hidden() -> set[str]:
        return set(page.eval("kg.nodes.get({filter: n => n.hidden && n.kind !== 'group'}).map(n => n.id)"))

    def expect(keep) -> set:
        return {i for i in iri if i in folded or not keep(g.nodes[iri[i]])}

    # class: untick Policy, and every policy disappears; tick it again, and they are back
    page.eval("document.querySelector('.kg-cls-filter[data-cls=\"Policy\"]').click()")
    assert hidden() == expect(lambda d: d["cls"] != "Policy")
    assert sum(1 for i in open_ if g.nodes[iri[i]]["cls"] == "Policy") > 20
    page.eval("document.querySelector('.kg-cls-filter[data-cls=\"Policy\"]').click()")
    assert hidden() == folded

    # document: untick every document but 002; what only the others support disappears
    files = sorted({f for _, d in g.nodes(data=True) for f in d["sources"]})
    keep_file = next(f for f in files if f.startswith("002_"))
    for f in files:
        if f != keep_file:
            page.eval(f"document.querySelector('.kg-doc-filter[data-file={json.dumps(f)}]').click()")
    want = expect(lambda d: not d["sources"] or keep_file in d["sources"])
    assert hidden() == want and len(want - folded) > 50
    edges_shown = int(page.status()["shownEdges"])
    assert 0 < edges_shown < len(data["edges"])
    for f in files:
        if f != keep_file:
            page.eval(f"document.querySelector('.kg-doc-filter[data-file={json.dumps(f)}]').click()")
    assert hidden() == folded

    # dates: June 2019 only; undated things stay until their box is unticked
    page.eval("""(() => { const a = document.getElementById('kg-date-from'), b = document.getElementById('kg-date-to');
      a.value = '2019-06'; a.dispatchEvent(new Event('input')); b.value = '2019-06'; b.dispatchEvent(new Event('input')); })()""")
    lo, hi = "2019-06-01", "2019-06-31"
    assert hidden() == expect(lambda d: not d["dates"] or any(_overlaps(x, lo, hi) for x in d["dates"]))
    page.eval("document.getElementById('kg-undated').click()")
    june = expect(lambda d: any(_overlaps(x, lo, hi) for x in d["dates"]))
    assert hidden() == june and 0 < len(set(iri) - june) < 20
    shown = [g.nodes[iri[i]]["label"] for i in set(iri) - june]
    assert any("Joint Declaration" in s for s in shown)  # the 7 June 2019 declaration
    page.eval("""(() => { const a = document.getElementById('kg-date-from');
      a.value = '2019-13-99x'; a.dispatchEvent(new Event('input')); })()""")
    assert page.eval("document.getElementById('kg-date-from').validity.valid") is False
    assert hidden() == june  # a malformed date changes nothing
    assert page.problems() == []


def _panel_quotes(panel: str, node: dict) -> list[str]:
    """The passages of ``node`` read from the seed texts at the offsets it cites, all in the panel."""
    passages = []
    for q in node["evidence"]:
        passage = seed_text(q["file"])[q["start"]:q["end"]]
        assert passage.strip(), q
        assert passage in panel, (q["file"], q["start"], passage[:80])
        passages.append(passage)
    return passages


@pytest.mark.browser
@pytest.mark.parametrize("name,label,words", [
    ("ego", "Andrés Manuel López Obrador", ("AMLO", "López")),
    ("policy", "Migrant Protection Protocols", ("Migrant Protection Protocols", "MPP", "Remain in Mexico")),
    ("full", "Mexico", ("Mexico",)),
])
def test_clicking_a_node_opens_the_side_panel_with_its_statements_and_quotes(name, label, words, seed_views,
                                                                            memory_store, page):
    path = seed_views[name]
    page.open(path, timeout=60)
    data = page_json(path.read_text(encoding="utf-8"))
    (node,) = [n for n in data["nodes"] if n["label"] == label]
    assert page.eval("document.getElementById('kg-panel').hidden") is True
    click(page, *page.eval(CLICK_NODE % node["id"]))
    page.wait("!document.getElementById('kg-panel').hidden", 5)
    assert page.eval("document.getElementById('kg-panel').dataset.id") == str(node["id"])
    panel = page.eval("document.getElementById('kg-panel').textContent")
    assert label in panel
    passages = _panel_quotes(panel, node)
    assert passages and any(w in p for p in passages for w in words)
    if name == "ego":
        text = seed_text("000_744f73aabb0ea542.txt")
        assert "Conversely, AMLO welcomed the caravans" in text
        assert "Conversely, AMLO welcomed the caravans" in panel
        # a quote's source is named by its curated title, with the file as its id
        assert "Mexico’s Response to the Central American Migrant Caravans (000_744f73aabb0ea542.txt)" in panel
    # its statements: one entry per relation it takes part in, as in the projection
    g = project(memory_store, "full" if name != "policy" else "policy", evidence=False)
    n_edges = g.in_degree(node["iri"]) + g.out_degree(node["iri"]) if name != "ego" else \
        sum(1 for e in data["edges"] if node["id"] in (e["from"], e["to"]))
    assert f"Statements and relations ({n_edges})" in panel
    assert page.eval("document.querySelectorAll('#kg-panel .kg-links li').length") == n_edges
    # the hover tooltip still works alongside; the panel stays when the pointer moves away
    page.hover(5, 990)
    assert not page.eval("document.getElementById('kg-panel').hidden")
    # a link in the panel selects the other end of a statement
    page.eval("document.querySelector('#kg-panel .kg-link').click()")
    assert page.eval("document.getElementById('kg-panel').dataset.id") != str(node["id"])
    page.eval("document.getElementById('kg-panel-close').click()")
    assert page.eval("document.getElementById('kg-panel').hidden") is True
    assert page.problems() == []
