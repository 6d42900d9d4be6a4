(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var status = document.getElementById("kg-status");
  var tip = document.getElementById("kg-tip");
  var box = document.getElementById("kg-network");
  var nodeById = new Map(), edgeById = new Map(), pinned = false;
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  data.edges.forEach(function (e) { edgeById.set(e.id, e); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function row(parent, key, values) {
    if (!values || !values.length) { return; }
    var r = el("div", "kg-row");
    r.appendChild(el("span", "kg-key", key + ": "));
    r.appendChild(el("span", null, values.join(", ")));
    parent.appendChild(r);
  }
  function quotes(parent, evidence, more) {
    (evidence || []).forEach(function (q) {
      var b = el("blockquote");
      b.appendChild(el("div", "kg-quote", "\u201c" + q.quote + "\u201d"));
      var src = q.file + ", characters " + q.start + "\u2013" + q.end;
      if (q.attributedTo) { src += " \u00b7 attributed to " + q.attributedTo; }
      if (q.hedge) { src += " \u00b7 hedge: " + q.hedge; }
      b.appendChild(el("div", "kg-src", src));
      parent.appendChild(b);
    });
    if (more) { parent.appendChild(el("div", "kg-more", "\u2026 and " + more + " more passages")); }
  }
  function label(id) { var n = nodeById.get(id); return n ? n.label : String(id); }
  function nodeDetails(n) {
    var d = el("div");
    d.appendChild(el("h3", null, n.label));
    d.appendChild(el("div", "kg-iri", n.iri));
    row(d, "class", [n.cls]);
    row(d, "dates", n.dates);
    row(d, "sources", n.sources);
    if (n.scores && n.scores.degree !== undefined) {
      row(d, "centrality", ["degree " + n.scores.degree, "PageRank " + n.scores.pagerank,
                            "betweenness " + n.scores.betweenness]);
    }
    quotes(d, n.evidence, n.more);
    return d;
  }
  function edgeDetails(e) {
    var d = el("div");
    d.appendChild(el("h3", null, label(e.from) + " \u2014 " + e.relation + " \u2192 " + label(e.to)));
    row(d, "sources", e.sources);
    quotes(d, e.evidence, e.more);
    (e.pressures || []).forEach(function (p) {
      var s = el("div", "kg-pressure");
      s.appendChild(el("div", "kg-row", p.label));
      row(s, "instrument", p.instruments);
      row(s, "type", p.types);
      row(s, "demand", p.demands);
      row(s, "date", p.dates);
      row(s, "sources", p.sources);
      quotes(s, p.evidence, p.more);
      d.appendChild(s);
    });
    return d;
  }
  function show(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var x = (pointer && pointer.x !== undefined) ? pointer.x : 20, y = (pointer && pointer.y !== undefined) ? pointer.y : 20;
    var w = box.clientWidth, h = box.clientHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, w - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(4, Math.min(y + 14, h - tip.offsetHeight - 4)) + "px";
  }
  function hide() { if (!pinned) { tip.hidden = true; } }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {id: n.id, label: n.short, shape: n.shape, size: n.size,
            color: {background: n.color, border: n.focus ? "#000000" : "#4d4d4d",
                    highlight: {background: n.color, border: "#000000"},
                    hover: {background: n.color, border: "#000000"}},
            borderWidth: n.focus ? 4 : 1};
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var item = {id: e.id, from: e.from, to: e.to, label: e.label, width: e.width,
                color: {color: e.color, highlight: "#000000", hover: "#000000", opacity: 0.85}};
    if (e.curve) { item.smooth = {enabled: true, type: "curvedCW", roundness: e.curve}; }
    return item;
  }));
  var network = new vis.Network(box, {nodes: nodes, edges: edges}, data.options);
  window.kg = {network: network, nodes: nodes, edges: edges, data: data,
               showNode: function (id) { show(nodeDetails(nodeById.get(id))); },
               showEdge: function (id) { show(edgeDetails(edgeById.get(id))); }};

  network.on("hoverNode", function (p) { if (!pinned) { show(nodeDetails(nodeById.get(p.node)), p.pointer.DOM); } });
  network.on("hoverEdge", function (p) { if (!pinned) { show(edgeDetails(edgeById.get(p.edge)), p.pointer.DOM); } });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", function () { if (!pinned) { tip.hidden = true; } });
  network.on("click", function (p) {
    pinned = false;
    tip.classList.remove("kg-pinned");
    if (p.nodes.length) { show(nodeDetails(nodeById.get(p.nodes[0])), p.pointer.DOM); }
    else if (p.edges.length) { show(edgeDetails(edgeById.get(p.edges[0])), p.pointer.DOM); }
    else { tip.hidden = true; return; }
    pinned = true;
    tip.classList.add("kg-pinned");
  });

  var done = false;
  function ready() {
    if (done) { return; }
    done = true;
    network.setOptions({physics: false});
    var body = network.body || {};
    status.dataset.nodes = String(body.nodeIndices ? body.nodeIndices.length : nodes.length);
    status.dataset.edges = String(body.edgeIndices ? body.edgeIndices.length : edges.length);
    status.dataset.state = "ready";
    status.textContent = "";
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  if (!data.nodes.length) { ready(); }

  var find = document.getElementById("kg-find");
  find.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = find.elements.q.value.trim().toLowerCase();
    if (!q) { return; }
    var hit = data.nodes.find(function (n) { return n.label.toLowerCase() === q; }) ||
              data.nodes.find(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; });
    if (!hit) { find.elements.q.setCustomValidity("not found"); find.reportValidity(); return; }
    find.elements.q.setCustomValidity("");
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.2, animation: false});
    pinned = false;
    show(nodeDetails(hit));
    pinned = true;
    tip.classList.add("kg-pinned");
  });
  find.elements.q.addEventListener("input", function () { find.elements.q.setCustomValidity(""); });
})();
