const form = document.getElementById('q'), text = document.getElementById('query');
const pick = document.getElementById('examples'), out = document.getElementById('out');
const status = document.getElementById('status'), about = document.getElementById('about');
pick.addEventListener('change', () => {
  const opt = pick.selectedOptions[0];
  if (opt && opt.dataset.query) { text.value = opt.dataset.query; about.textContent = opt.title; }
});
function cell(term) {
  if (!term) return '';
  return term.value;
}
const PAGE_ROWS = 50;
// one page of rows at a time: a large answer would make the browser build a table of every row
function showPage(vars, rows, offset, ms) {
  const table = document.createElement('table'), head = table.insertRow();
  for (const v of vars) { const th = document.createElement('th'); th.textContent = v; head.append(th); }
  const end = Math.min(offset + PAGE_ROWS, rows.length);
  for (const row of rows.slice(offset, end)) {
    const tr = table.insertRow();
    for (const v of vars) tr.insertCell().textContent = cell(row[v]);
  }
  const nav = document.createElement('p'); nav.id = 'pages';
  const span = document.createElement('span');
  span.textContent = rows.length <= PAGE_ROWS ? rows.length + ' row(s)'
    : 'rows ' + (offset + 1) + '–' + end + ' of ' + rows.length;
  const button = (label, to) => {
    const b = document.createElement('button'); b.type = 'button'; b.textContent = label;
    b.disabled = to < 0 || to >= rows.length || to === offset;
    b.addEventListener('click', () => showPage(vars, rows, to, ms)); return b;
  };
  if (rows.length > PAGE_ROWS) nav.append(button('‹ previous', Math.max(offset - PAGE_ROWS, 0)), span,
                                         button('next ›', end));
  else nav.append(span);
  out.replaceChildren(nav, table);
  status.textContent = rows.length + ' row(s) in ' + ms + ' ms';
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fmt = document.getElementById('format').value;
  if (fmt !== 'table') {
    const url = 'query?' + new URLSearchParams({query: text.value, format: fmt});
    window.open(url, '_blank');
    return;
  }
  out.replaceChildren(); status.textContent = 'running…';
  const started = performance.now();
  try {
    const response = await fetch('query', {method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/sparql-results+json'},
      body: new URLSearchParams({query: text.value})});
    const body = await response.text();
    if (!response.ok) {
      const p = document.createElement('p'); p.className = 'error';
      p.textContent = response.status + ': ' + body; out.append(p); status.textContent = ''; return;
    }
    const data = JSON.parse(body);
    if ('boolean' in data) { out.textContent = String(data.boolean); status.textContent = ''; return; }
    const vars = data.head.vars, rows = data.results.bindings;
    const ms = Math.round(performance.now() - started);
    showPage(vars, rows, 0, ms);
  } catch (err) { status.textContent = String(err); }
});
