(function () {
  "use strict";
  // Every text below comes from the graph (documents, curators): it reaches the page through
  // textContent or the canvas only, never through innerHTML.
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var L = data.layout || {fontSize: 14, minFontPx: 12, edgeLabels: true};
  var classes = data.classes || {};
  var groups = data.groups || [];
  var status = document.getElementById("kg-status");
  var tip = document.getElementById("kg-tip");
  var box = document.getElementById("kg-network");
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var nodeById = new Map(), edgeById = new Map(), groupById = new Map(), groupOf = new Map();
  var titles = new Map();
  var focusId = null;
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); if (n.focus) { focusId = n.id; } });
  data.edges.forEach(function (e) { edgeById.set(e.id, e); });
  groups.forEach(function (g) { groupById.set(g.id, g); g.members.forEach(function (m) { groupOf.set(m, g); }); });
  (data.documents || []).forEach(function (d) { titles.set(d.file, d.title); });
  var incident = new Map();
  data.edges.forEach(function (e) {
    [e.from, e.to].forEach(function (id) {
      if (!incident.has(id)) { incident.set(id, []); }
      incident.get(id).push(e);
    });
  });

  // --- small DOM helpers (textContent only) --------------------------------------------------
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
  function docName(file) { var t = titles.get(file); return t && t !== file ? t + " (" + file + ")" : file; }
  function quotes(parent, evidence, more) {
    (evidence || []).forEach(function (q) {
      var b = el("blockquote");
      b.appendChild(el("div", "kg-quote", "\u201c" + q.quote + "\u201d"));
      var src = docName(q.file) + ", characters " + q.start + "\u2013" + q.end;
      if (q.attributedTo) { src += " \u00b7 attributed to " + q.attributedTo; }
      if (q.hedge) { src += " \u00b7 hedge: " + q.hedge; }
      b.appendChild(el("div", "kg-src", src));
      parent.appendChild(b);
    });
    if (more) { parent.appendChild(el("div", "kg-more", "\u2026 and " + more + " more passages")); }
  }
  function label(id) { var n = nodeById.get(id); return n ? n.label : String(id); }

  // --- details: the hover tooltip (short) and the side panel (everything) ------------------------
  function nodeDetails(n, full) {
    var d = el("div");
    d.appendChild(el("h3", null, n.label));
    d.appendChild(el("div", "kg-iri", n.iri));
    row(d, "class", [n.cls]);
    row(d, "dates", n.dates);
    row(d, "sources", full ? n.sources.map(docName) : n.sources);
    if (n.scores && n.scores.degree !== undefined) {
      row(d, "centrality", ["degree " + n.scores.degree, "PageRank " + n.scores.pagerank,
                            "betweenness " + n.scores.betweenness]);
    }
    if (full) {
      var links = incident.get(n.id) || [];
      if (links.length) {
        d.appendChild(el("h4", null, "Statements and relations (" + links.length + ")"));
        var ul = el("ul", "kg-links");
        links.forEach(function (e) {
          var li = el("li");
          var out = e.from === n.id, other = out ? e.to : e.from;
          li.appendChild(el("span", "kg-rel", out ? e.relation + " \u2192 " : "\u2190 " + e.relation + " "));
          var b = el("button", "kg-link", label(other));
          b.type = "button";
          b.addEventListener("click", function () { select(other); });
          li.appendChild(b);
          var e2 = el("button", "kg-link kg-edge-link", "(evidence)");
          e2.type = "button";
          e2.addEventListener("click", function () { selectEdge(e.id); });
          li.appendChild(e2);
          ul.appendChild(li);
        });
        d.appendChild(ul);
      }
      d.appendChild(el("h4", null, n.evidence && n.evidence.length ? "Quotes" : "No quotes"));
    }
    quotes(d, full ? n.evidence : (n.evidence || []).slice(0, 3), full ? n.more : n.more + Math.max(0, (n.evidence || []).length - 3));
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
  function groupDetails(g, full) {
    var d = el("div");
    d.appendChild(el("h3", null, g.label + " about " + g.about));
    d.appendChild(el("div", "kg-row", "Folded: " + g.cls + " nodes linked to " + label(g.anchor) + "."));
    if (full) {
      var b = el("button", "kg-expand-one", "Expand these " + g.members.length);
      b.type = "button";
      b.addEventListener("click", function () { expandGroup(g); });
      d.appendChild(b);
    }
    var ul = el("ul", "kg-links");
    g.members.forEach(function (m) {
      var n = nodeById.get(m), li = el("li");
      li.appendChild(el("div", "kg-row", n.label));
      if (full) { quotes(li, (n.evidence || []).slice(0, 1), 0); }
      ul.appendChild(li);
    });
    d.appendChild(ul);
    return d;
  }
  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var x = (pointer && pointer.x !== undefined) ? pointer.x : 20, y = (pointer && pointer.y !== undefined) ? pointer.y : 20;
    var w = box.clientWidth, h = box.clientHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, w - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(4, Math.min(y + 14, h - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.hidden = true; }
  function openPanel(content, kind, id) {
    panelBody.replaceChildren(content);
    panel.dataset.kind = kind;
    panel.dataset.id = String(id);
    panel.hidden = false;
    panel.scrollTop = 0;
    hideTip();
  }
  function closePanel() { panel.hidden = true; panel.dataset.kind = ""; network.unselectAll(); }
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);

  // --- the network ---------------------------------------------------------------------------
  function imageOf(cls, focus) {
    var c = classes[cls] || classes.Thing || {};
    return {unselected: focus ? c.focus : c.image, selected: c.selected};
  }
  var expandAll = false, openGroups = new Set();
  function collapsed(id) {
    var g = groupOf.get(id);
    return !!g && !expandAll && !openGroups.has(g.id);
  }
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var hide = collapsed(n.id);
    return {id: n.id, label: n.short, shape: "image", image: imageOf(n.cls, n.focus), size: n.size,
            hidden: hide, physics: !hide, font: n.focus ? {size: L.fontSize, bold: true} : undefined};
  }).concat(groups.map(function (g) {
    return {id: g.id, kind: "group", label: "+ " + g.label, shape: "image", image: imageOf(g.cls, false),
            size: 12, hidden: false, physics: true};
  })));
  var edgeItems = data.edges.map(function (e) {
    var hide = collapsed(e.from) || collapsed(e.to);
    var item = {id: e.id, from: e.from, to: e.to, label: L.edgeLabels ? e.label : "", width: e.width,
                hidden: hide, physics: !hide,
                color: {color: e.color, highlight: "#000000", hover: "#000000", opacity: 0.85}};
    if (e.curve) { item.smooth = {enabled: true, type: "curvedCW", roundness: e.curve}; }
    return item;
  });
  groups.forEach(function (g) {
    g.neighbours.forEach(function (v) {
      edgeItems.push({id: "ge-" + g.id + "-" + v, kind: "group", group: g.id, from: g.id, to: v, label: "",
                      width: 1, dashes: true, hidden: false, physics: true,
                      color: {color: "#9a9a9a", highlight: "#000000", hover: "#000000", opacity: 0.8}});
    });
  });
  var edges = new vis.DataSet(edgeItems);
  var network = null;

  // --- filters: class, document, date range; groups folded or open ------------------------------
  var hiddenClasses = new Set(), docsOff = new Set(), range = null, undated = true;
  function lo(d) { return d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d.slice(0, 10); }
  function hi(d) { return d.length === 4 ? d + "-12-31" : d.length === 7 ? d + "-31" : d.slice(0, 10); }
  function passes(n) {
    if (hiddenClasses.has(n.cls)) { return false; }
    if (docsOff.size && n.sources.length && !n.sources.some(function (f) { return !docsOff.has(f); })) { return false; }
    if (range) {
      if (!n.dates.length) { return undated; }
      return n.dates.some(function (d) { return lo(d) <= range[1] && hi(d) >= range[0]; });
    }
    return true;
  }
  function nodeShown(id) { var n = nodeById.get(id); return !!n && passes(n) && !collapsed(id); }
  function groupShown(g) {
    return !expandAll && !openGroups.has(g.id) && g.members.some(function (m) { return passes(nodeById.get(m)); });
  }
  function edgeShown(e) {
    if (!nodeShown(e.from) || !nodeShown(e.to)) { return false; }
    return !docsOff.size || !e.sources.length || e.sources.some(function (f) { return !docsOff.has(f); });
  }
  function apply() {
    var nu = [], eu = [];
    data.nodes.forEach(function (n) { var h = !nodeShown(n.id); nu.push({id: n.id, hidden: h, physics: !h}); });
    groups.forEach(function (g) {
      var h = !groupShown(g), count = g.members.filter(function (m) { return passes(nodeById.get(m)); }).length;
      nu.push({id: g.id, hidden: h, physics: !h,
               label: "+ " + (count === g.members.length ? g.label : count + " of " + g.label)});
    });
    data.edges.forEach(function (e) { var h = !edgeShown(e); eu.push({id: e.id, hidden: h, physics: !h}); });
    edges.forEach(function (item) {
      if (item.kind === "group") {
        var h = !groupShown(groupById.get(item.group)) || !nodeShown(item.to);
        eu.push({id: item.id, hidden: h, physics: !h});
      }
    });
    nodes.update(nu);
    edges.update(eu);
    count();
  }
  function visibleIds() {
    return nodes.getIds({filter: function (n) { return !n.hidden; }});
  }
  function count() {
    var shownNodes = data.nodes.filter(function (n) { return nodeShown(n.id); }).length;
    status.dataset.shown = String(shownNodes);
    status.dataset.groups = String(groups.filter(groupShown).length);
    status.dataset.shownEdges = String(data.edges.filter(edgeShown).length);
  }

  // --- layout: stabilise, then spread until no two labels (or shapes) overlap -------------------
  var MARGIN = 4;
  function relBox(id) {
    // the node's box, shape and label, relative to its centre in canvas units: the image is
    // 2 * size square and vis-network hangs the label 0.5 * font + 4 below it
    var bn = network.body.nodes[id], half = bn.options.size || 10;
    var text = bn.labelModule.getTextSize(network.canvas.getContext(), bn.selected, bn.hover);
    var w = text.width || 0, h = text.height || 0, font = bn.labelModule.fontOptions.size || L.fontSize;
    return {l: Math.min(-half, -w / 2), r: Math.max(half, w / 2), t: -half,
            b: h ? half + 0.5 * font + 4 + h : half};
  }
  function spread(ids, maxRounds) {
    if (!ids.length) { return 0; }
    var pos = network.getPositions(ids);
    var items = ids.map(function (id, i) {
      var b = relBox(id);
      return {id: id, i: i, x: pos[id].x, y: pos[id].y, l: b.l - MARGIN, r: b.r + MARGIN, t: b.t - MARGIN, b: b.b + MARGIN};
    });
    var rounds = 0, until = performance.now() + 4000;  // a very large page stops after 4 s
    for (; rounds < (maxRounds || 3000) && performance.now() < until; rounds++) {
      items.sort(function (a, b) { return (a.x + a.l) - (b.x + b.l); });
      var moved = false;
      for (var i = 0; i < items.length; i++) {
        var A = items[i];
        for (var j = i + 1; j < items.length; j++) {
          var B = items[j];
          if (B.x + B.l >= A.x + A.r) { break; }
          var oy = Math.min(A.y + A.b, B.y + B.b) - Math.max(A.y + A.t, B.y + B.t);
          if (oy <= 0) { continue; }
          var ox = Math.min(A.x + A.r, B.x + B.r) - Math.max(A.x + A.l, B.x + B.l);
          if (ox <= 0) { continue; }
          moved = true;
          if (ox < oy * 1.5) {
            var dx = (B.x > A.x || (B.x === A.x && B.i > A.i)) ? 1 : -1, px = ox / 2 + 0.5;
            A.x -= dx * px; B.x += dx * px;
          } else {
            var dy = (B.y > A.y || (B.y === A.y && B.i > A.i)) ? 1 : -1, py = oy / 2 + 0.5;
            A.y -= dy * py; B.y += dy * py;
          }
        }
      }
      if (!moved) { break; }
    }
    items.forEach(function (it) { network.moveNode(it.id, it.x, it.y); });
    return rounds;
  }
  function legibleScale() { return (L.minFontPx / L.fontSize) * 1.02; }
  function boundsOf(ids) {
    var pos = network.getPositions(ids), bb = {l: Infinity, r: -Infinity, t: Infinity, b: -Infinity};
    ids.forEach(function (id) {
      var b = relBox(id), p = pos[id];
      bb.l = Math.min(bb.l, p.x + b.l); bb.r = Math.max(bb.r, p.x + b.r);
      bb.t = Math.min(bb.t, p.y + b.t); bb.b = Math.max(bb.b, p.y + b.b);
    });
    return bb;
  }
  function openingView() {
    var ids = visibleIds();
    if (!ids.length) { return; }
    var W = box.clientWidth, H = box.clientHeight, bb = boundsOf(ids);
    var fit = Math.min(W / (bb.r - bb.l + 40), H / (bb.b - bb.t + 40)), s = legibleScale();
    if (fit >= s) {
      network.moveTo({position: {x: (bb.l + bb.r) / 2, y: (bb.t + bb.b) / 2}, scale: Math.min(fit, 1.5), animation: false});
      return;
    }
    // too large to fit legibly: open at the legible scale on the focus, or on the busiest window
    var pos = network.getPositions(ids), centre = null;
    if (focusId !== null && pos[focusId]) {
      centre = pos[focusId];
    } else {
      // the window that shows the most nodes, the most central of them well inside it
      var hw = W / (2 * s) - 60, hh = H / (2 * s) - 30, best = -1, top = null, size = {};
      ids.forEach(function (o) { size[o] = network.body.nodes[o].options.size || 0; });
      ids.forEach(function (o) { if (top === null || size[o] > size[top]) { top = o; } });
      ids.forEach(function (c) {
        var p = pos[c], score = 0;
        ids.forEach(function (o) {
          var q = pos[o], dx = Math.abs(q.x - p.x), dy = Math.abs(q.y - p.y);
          if (dx < hw && dy < hh) { score += 1 + size[o] / 40; }
          if (o === top && dx < hw * 0.6 && dy < hh * 0.6) { score += 2 * ids.length; }
        });
        if (score > best) { best = score; centre = p; }
      });
    }
    network.moveTo({position: {x: centre.x, y: centre.y}, scale: s, animation: false});
  }
  function relayout() {
    var ids = visibleIds(), t0 = performance.now();
    status.dataset.rounds = String(spread(ids));
    status.dataset.spreadMs = String(Math.round(performance.now() - t0));
    network.redraw();
  }

  function expandGroup(g) {
    openGroups.add(g.id);
    var gp = network.getPositions([g.id])[g.id] || {x: 0, y: 0};
    g.members.forEach(function (m, i) {
      var a = 2 * Math.PI * i / g.members.length, r = 40 + 12 * g.members.length;
      network.moveNode(m, gp.x + r * Math.cos(a), gp.y + r * Math.sin(a));
    });
    apply();
    relayout();
  }
  function setExpandAll(on) {
    expandAll = on;
    if (on) {
      groups.forEach(function (g) {
        if (openGroups.has(g.id)) { return; }
        var gp = network.getPositions([g.id])[g.id] || {x: 0, y: 0};
        g.members.forEach(function (m, i) {
          var a = 2 * Math.PI * i / g.members.length, r = 40 + 12 * g.members.length;
          network.moveNode(m, gp.x + r * Math.cos(a), gp.y + r * Math.sin(a));
        });
      });
    } else {
      openGroups.clear();
    }
    apply();
    relayout();
  }
  // --- selection -------------------------------------------------------------------------------
  function select(id) {
    var n = nodeById.get(id);
    if (!n) { return; }
    var g = groupOf.get(id);
    if (g && collapsed(id)) { expandGroup(g); }
    if (!passes(n)) { return; }
    network.selectNodes([id]);
    var p = network.getPositions([id])[id];
    var view = network.getViewPosition(), s = network.getScale();
    var dom = network.canvasToDOM(p);
    if (dom.x < 0 || dom.y < 0 || dom.x > box.clientWidth || dom.y > box.clientHeight) {
      network.moveTo({position: p, scale: Math.max(s, legibleScale()), animation: false});
    } else if (view && s < legibleScale()) {
      network.moveTo({position: p, scale: legibleScale(), animation: false});
    }
    openPanel(nodeDetails(n, true), "node", id);
  }
  function selectEdge(id) {
    var e = edgeById.get(id);
    if (!e) { return; }
    network.selectEdges([id]);
    openPanel(edgeDetails(e), "edge", id);
  }

  function start() {
    var t0 = performance.now();
    network = new vis.Network(box, {nodes: nodes, edges: edges}, data.options);
    window.kg = {network: network, nodes: nodes, edges: edges, data: data, select: select, selectEdge: selectEdge,
                 showNode: function (id) { showTip(nodeDetails(nodeById.get(id), false)); },
                 showEdge: function (id) { showTip(edgeDetails(edgeById.get(id))); },
                 apply: apply, expandGroup: function (id) { expandGroup(groupById.get(id)); },
                 legible: openingView, minFontPx: L.minFontPx};
    network.on("hoverNode", function (p) {
      var n = nodeById.get(p.node), g = groupById.get(p.node);
      if (n) { showTip(nodeDetails(n, false), p.pointer.DOM); } else if (g) { showTip(groupDetails(g, false), p.pointer.DOM); }
    });
    network.on("hoverEdge", function (p) { var e = edgeById.get(p.edge); if (e) { showTip(edgeDetails(e), p.pointer.DOM); } });
    network.on("blurNode", hideTip);
    network.on("blurEdge", hideTip);
    network.on("dragStart", hideTip);
    network.on("click", function (p) {
      hideTip();
      if (p.nodes.length) {
        var id = p.nodes[0], g = groupById.get(id);
        if (g) { openPanel(groupDetails(g, true), "group", id); } else { openPanel(nodeDetails(nodeById.get(id), true), "node", id); }
      } else if (p.edges.length) {
        var e = edgeById.get(p.edges[0]);
        if (e) { openPanel(edgeDetails(e), "edge", e.id); }
      } else {
        closePanel();
      }
    });
    network.on("doubleClick", function (p) {
      if (p.nodes.length && groupById.has(p.nodes[0])) { expandGroup(groupById.get(p.nodes[0])); }
    });

    var done = false;
    function ready() {
      if (done) { return; }
      done = true;
      status.dataset.layoutMs = String(Math.round(performance.now() - t0));
      network.setOptions({physics: false});
      relayout();
      openingView();
      network.once("afterDrawing", function () {
        status.dataset.nodes = String(data.nodes.length);
        status.dataset.edges = String(data.edges.length);
        count();
        status.dataset.state = "ready";
        status.textContent = "";
      });
      network.redraw();
    }
    network.on("stabilizationProgress", function (p) {
      status.textContent = "laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", ready);
    network.once("stabilized", ready);
    if (!data.nodes.length) { ready(); }
  }

  // --- the controls ----------------------------------------------------------------------------
  document.querySelectorAll(".kg-cls-filter").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.checked) { hiddenClasses.delete(input.dataset.cls); } else { hiddenClasses.add(input.dataset.cls); }
      apply();
    });
  });
  var docList = document.getElementById("kg-docs");
  (data.documents || []).forEach(function (d) {
    var li = el("li"), lab = el("label"), input = el("input");
    input.type = "checkbox";
    input.checked = true;
    input.className = "kg-doc-filter";
    input.dataset.file = d.file;
    input.addEventListener("change", function () {
      if (input.checked) { docsOff.delete(d.file); } else { docsOff.add(d.file); }
      apply();
    });
    lab.appendChild(input);
    lab.appendChild(el("span", "kg-doc", d.title));
    lab.title = d.file;
    li.appendChild(lab);
    docList.appendChild(li);
  });
  var from = document.getElementById("kg-date-from"), to = document.getElementById("kg-date-to");
  var undatedBox = document.getElementById("kg-undated");
  var DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  function dates() {
    var a = from.value.trim(), b = to.value.trim(), ok = true;
    [[from, a], [to, b]].forEach(function (pair) {
      var bad = pair[1] && !DATE.test(pair[1]);
      pair[0].setCustomValidity(bad ? "a date like 2019, 2019-06 or 2019-06-07" : "");
      if (bad) { ok = false; }
    });
    if (!ok) { return; }
    range = (a || b) ? [a ? lo(a) : "0000-01-01", b ? hi(b) : "9999-12-31"] : null;
    undated = undatedBox.checked;
    apply();
  }
  [from, to].forEach(function (input) { input.addEventListener("input", dates); input.addEventListener("change", dates); });
  undatedBox.addEventListener("change", dates);
  var expandBox = document.getElementById("kg-expand");
  if (expandBox) { expandBox.addEventListener("change", function () { setExpandAll(expandBox.checked); }); }
  var edgeLabelBox = document.getElementById("kg-edge-labels");
  edgeLabelBox.addEventListener("change", function () {
    edges.update(data.edges.map(function (e) { return {id: e.id, label: edgeLabelBox.checked ? e.label : ""}; }));
  });
  document.getElementById("kg-legible").addEventListener("click", openingView);
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({animation: false}); });

  var find = document.getElementById("kg-find");
  find.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = find.elements.q.value.trim().toLowerCase();
    if (!q) { return; }
    var hit = data.nodes.find(function (n) { return n.label.toLowerCase() === q; }) ||
              data.nodes.find(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; });
    if (!hit) { find.elements.q.setCustomValidity("not found"); find.reportValidity(); return; }
    find.elements.q.setCustomValidity("");
    select(hit.id);
  });
  find.elements.q.addEventListener("input", function () { find.elements.q.setCustomValidity(""); });

  // the class pictures are data: URIs; load them before the first draw so sizes are known
  var urls = [];
  Object.keys(classes).forEach(function (k) { urls.push(classes[k].image, classes[k].selected, classes[k].focus); });
  var waiting = urls.length;
  function loaded() { waiting -= 1; if (waiting === 0) { start(); } }
  if (!waiting) { start(); }
  urls.forEach(function (u) { var img = new Image(); img.onload = loaded; img.onerror = loaded; img.src = u; });
})();
