/* SPDX-License-Identifier: MIT */
/*
 * netprint's web console: one page, hash routes, plain ES2020, no build step.
 *
 * Every string the API returns comes from network traffic or a database and is
 * hostile until shown otherwise: the DOM is built with createElement and
 * textContent only (never innerHTML and the like), the only links made from
 * data are "#/host/" + encodeURIComponent(addr), and attribute names are
 * always constants of this file.
 *
 * Contract with the browser tests: each page's container is
 * <section id="page-NAME">, and document.body.dataset.ready = NAME once the
 * page has shown its first answer (data or an error).
 */
'use strict';

/* ---- DOM helpers ------------------------------------------------------ */

/* el('td', {class: 'x', title: t}, child, 'text', [more]) */
function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = String(v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'href' || k === 'src') continue;   /* links: hostLink/routeLink only */
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, kids);
  return e;
}

function append(parent, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(parent, k);
    else if (k instanceof Node) parent.appendChild(k);
    else parent.appendChild(document.createTextNode(String(k)));
  }
  return parent;
}

function clear(node, ...kids) {
  node.replaceChildren();
  return append(node, kids);
}

/* A link to a host page; the address is data, so it only ever goes through
 * encodeURIComponent behind a constant prefix. */
function hostLink(addr) {
  if (typeof addr !== 'string' || addr === '') return muted('—');
  const a = el('a', {class: 'addr', text: addr});
  a.href = '#/host/' + encodeURIComponent(addr);
  return a;
}

function option(value, text) {
  const o = el('option', {text: text || value});
  o.value = value;
  return o;
}

const str = (v) => (v === null || v === undefined ? '' : String(v));
const td = (v, cls) => el('td', {class: cls, text: typeof v === 'number' ? fmtNum(v) : str(v)});
const muted = (text) => el('span', {class: 'muted', text});
const code = (text) => el('code', {class: 'sig', text: str(text)});
const errorBox = (text, id) => el('p', {class: 'error', id, text});

/* A table: head is a list of column titles; returns {table, body}. */
function table(head, bodyId, cls) {
  const body = el('tbody', {id: bodyId});
  const tbl = el('table', {class: cls || 'grid'},
    el('thead', null, el('tr', null, head.map((h) => el('th', {text: h})))), body);
  return {table: tbl, body};
}

/* Columns of a list of objects: the union of their keys, in order seen. */
function unionKeys(rows, keys) {
  keys = keys || [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/* {key: number} → a two-column table */
function kvTable(obj, head, id) {
  const {table: t, body} = table(head, id, 'grid compact');
  for (const [k, v] of Object.entries(obj)) body.appendChild(el('tr', null, td(k), td(v, 'num')));
  return t;
}

/* Shows `note` instead of an empty table (placeholder text, not a row). */
function emptyNote(tbl, body, text) {
  const note = el('p', {class: 'empty', text});
  const update = () => {
    const empty = body.rows.length === 0;
    tbl.classList.toggle('hidden', empty);
    note.classList.toggle('hidden', !empty);
  };
  return {note, update};
}

/* ---- formatting ------------------------------------------------------- */

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function fmtNum(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
}

const pad = (n, w) => String(n).padStart(w || 2, '0');

function fmtDate(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fmtAgo(unix) {
  const s = Math.round(Date.now() / 1000 - unix);
  if (s < 0) return 'in the future';
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  if (s < 63072000) return `${Math.round(s / 86400)} d ago`;
  return `${Math.round(s / 31557600)} y ago`;
}

/* A Unix time in seconds: the date, and how long ago in its title. */
function timeNode(unix) {
  if (typeof unix !== 'number' || unix <= 0) return muted('never');
  return el('time', {text: fmtDate(new Date(unix * 1000)), title: fmtAgo(unix)});
}

function fmtDuration(min) {
  if (typeof min !== 'number') return String(min);
  const d = Math.floor(min / 1440), h = Math.floor((min % 1440) / 60), m = min % 60;
  return (d ? `${d} d ` : '') + (d || h ? `${h} h ` : '') + `${m} min`;
}

/* {name, flavor, class, match} → "Linux 2.2.x-3.x" (match other than exact noted). */
function labelText(m) {
  if (!isObj(m)) return typeof m === 'string' ? m : '';
  const s = [m.name, m.flavor].filter((x) => typeof x === 'string' && x).join(' ');
  return s && typeof m.match === 'string' && m.match !== 'exact' ? `${s} (${m.match})` : s;
}

const TIME_KEY = /^(first_seen|last_seen|last_nat|last_chg|epoch|seen)$|_seen$/;
const SIG_KEY = /sig|^ja[34]|^raw|hash|string$/;
const WARN_KEY = /drop|full|miss/;

/* ---- generic JSON renderer (host pages) -------------------------------- */

function renderValue(v, key, depth) {
  depth = depth || 0;
  if (v === null || v === undefined) return muted('—');
  if (typeof v === 'boolean') return el('span', {text: v ? 'yes' : 'no'});
  if (typeof v === 'number') {
    if (TIME_KEY.test(key || '')) return timeNode(v);
    if (key === 'uptime_min') return el('span', {text: fmtDuration(v), title: `${v} min`});
    return el('span', {class: 'num', text: fmtNum(v)});
  }
  if (typeof v === 'string') return SIG_KEY.test(key || '') ? code(v) : el('span', {text: v});
  if (depth > 8) return muted('…');
  if (Array.isArray(v)) {
    if (v.length === 0) return muted('none');
    if (v.every(isObj)) return renderTable(v, depth + 1);
    return el('ul', {class: 'inline'}, v.map((x) => el('li', null, renderValue(x, key, depth + 1))));
  }
  if (isObj(v)) return Object.keys(v).length ? renderDL(v, null, depth + 1) : muted('none');
  return el('span', {text: String(v)});
}

function renderDL(obj, order, depth, id) {
  const keys = Object.keys(obj);
  const first = (order || []).filter((k) => keys.includes(k));
  const dl = el('dl', {class: 'kv', id});
  for (const k of first.concat(keys.filter((k) => !first.includes(k)))) {
    dl.appendChild(el('dt', {text: k.replace(/_/g, ' ')}));
    dl.appendChild(el('dd', null, renderValue(obj[k], k, depth || 0)));
  }
  return dl;
}

function renderTable(rows, depth) {
  const cols = unionKeys(rows);
  const {table: t, body} = table(cols, null, 'grid nested');
  for (const r of rows) {
    body.appendChild(el('tr', null, cols.map((c) => el('td', null, renderValue(r[c], c, depth)))));
  }
  return t;
}

/* What netprint knows of a host, the telling fields first. */
const HOST_ORDER = ['addr', 'os', 'os_history', 'distance', 'uptime_min', 'uptime_modulo_days',
  'clock', 'http', 'tls', 'link', 'language', 'last_nat', 'last_chg', 'changes',
  'last_seen', 'first_seen', 'total_conn', 'bad_sw'];

/* The host's last signature of each kind, with its full label: a table. */
function signaturesTable(sigs) {
  const {table: t, body} = table(['kind', 'label', 'raw signature', 'seen'], 'host-signatures',
    'grid signatures');
  for (const [kind, s] of Object.entries(sigs).filter(([, s]) => isObj(s))) {
    body.appendChild(el('tr', null, td(kind), td(s.label === null ? 'unknown' : s.label),
      el('td', {class: 'sigcell'}, code(s.sig)), el('td', null, timeNode(s.seen))));
  }
  return body.children.length ? el('div', null, el('h3', {text: 'Last signatures'}), t) : null;
}

/* Keys a host view leaves out of its field list: shown apart, or not the host's. */
const HOST_APART = ['signatures', 'via_proxy'];

function hostView(obj) {
  const fields = Object.fromEntries(Object.entries(obj).filter(([k]) => !HOST_APART.includes(k)));
  const sigKeys = Object.keys(fields).filter((k) => !HOST_ORDER.includes(k) && /sig/.test(k));
  const summary = el('p', {class: 'summary'},
    ['os', 'http', 'tls'].map((k) => {
      const v = k === 'tls' && isObj(obj.tls) ? obj.tls.app : obj[k];
      const t = labelText(v);
      return t ? el('span', {class: 'badge'}, el('b', {text: k.toUpperCase() + ' '}), t) : null;
    }));
  return el('div', {class: 'host'}, summary,
    isObj(obj.signatures) ? signaturesTable(obj.signatures) : null,
    renderDL(fields, HOST_ORDER.concat(sigKeys), 0, 'host-fields'));
}

/* ---- API -------------------------------------------------------------- */

/* fetch → {ok, status, data, error}; never throws, never logs. */
async function api(path, opts) {
  try {
    const r = await fetch(path, Object.assign({cache: 'no-store', credentials: 'same-origin'}, opts));
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    let error = null;
    if (!r.ok) {
      error = isObj(data) && typeof data.error === 'string' ? data.error :
        `HTTP ${r.status} ${r.statusText}`.trim();
    } else if (data === null) {
      error = 'the answer is not JSON';
    }
    return {ok: r.ok && data !== null, status: r.status, data, error};
  } catch (e) {
    return {ok: false, status: 0, data: null, error: 'cannot reach netprint: ' + (e && e.message)};
  }
}

function authHeaders(token) {
  return token ? {Authorization: 'Bearer ' + token} : {};
}

/* ---- router ----------------------------------------------------------- */

const PAGES = {};
let routeGen = 0;
let cleanups = [];

function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const qi = h.indexOf('?');
  const path = qi < 0 ? h : h.slice(0, qi);
  const query = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
  const slash = path.indexOf('/');
  const name = slash < 0 ? path : path.slice(0, slash);
  let param = slash < 0 ? '' : path.slice(slash + 1);
  try { param = decodeURIComponent(param); } catch (_) { /* keep it as it came */ }
  return {name: name || 'overview', param, query};
}

function navigate() {
  for (const f of cleanups) { try { f(); } catch (_) { /* a page half-built */ } }
  cleanups = [];
  const gen = ++routeGen;
  delete document.body.dataset.ready;
  let {name, param, query} = parseHash();
  if (!PAGES[name]) name = 'overview';
  const navName = name === 'host' ? 'hosts' : name;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.route === navName);
  }
  const root = document.getElementById('app');
  root.replaceChildren();
  const ctx = {
    param, query,
    alive: () => gen === routeGen,
    ready: () => { if (gen === routeGen) document.body.dataset.ready = name; },
    onCleanup: (f) => cleanups.push(f),
  };
  root.appendChild(PAGES[name](ctx));
}

function page(name, title, ...kids) {
  return el('section', {id: 'page-' + name, class: 'page'}, el('h1', {text: title}), kids);
}

/* ---- #/overview ------------------------------------------------------- */

const TOP_TITLES = {
  syn_os: 'SYN: operating systems', synack_os: 'SYN+ACK: operating systems',
  http_client: 'HTTP clients', http_server: 'HTTP servers', tls_client: 'TLS clients',
  link: 'Links', distance: 'Distance (hops)',
};
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2',
  '#db2777', '#65a30d', '#475569', '#ea580c', '#0d9488', '#9333ea'];

PAGES.overview = function (ctx) {
  const err = el('div', {id: 'overview-error'});
  const head = el('div', {id: 'overview-headline', class: 'cards'});
  const chartBox = el('div', {id: 'overview-chart', class: 'chart'});
  const kinds = el('div', {id: 'overview-kinds'});
  const workers = el('div', {id: 'overview-workers'});
  const ports = el('div', {id: 'overview-ports'});
  const top = el('div', {id: 'overview-top', class: 'tops'});
  const sec = page('overview', 'Overview', err, head,
    el('h2', {text: 'Records per second'}), chartBox,
    el('div', {class: 'split'}, el('div', null, el('h2', {text: 'Workers'}), workers),
      el('div', null, el('h2', {text: 'Records by kind'}), kinds)), ports, top);
  const chart = {plot: null, key: null};
  let busy = false;

  async function tick() {
    if (busy) return;
    busy = true;
    const r = await api('/api/stats');
    busy = false;
    if (!ctx.alive()) return;
    clear(err, r.ok ? null : errorBox('/api/stats: ' + r.error));
    if (r.ok) {
      const s = r.data;
      renderHeadline(head, s);
      renderChart(chartBox, s.rate, chart);
      renderKinds(kinds, s.kinds);
      renderWorkers(workers, s);
      renderPorts(ports, s.ports);
      renderTops(top, s.top);
    }
    ctx.ready();
  }
  const onResize = () => {
    if (chart.plot) chart.plot.setSize({width: chartWidth(chartBox), height: 240});
  };
  tick();
  const timer = setInterval(tick, 2000);
  window.addEventListener('resize', onResize);
  ctx.onCleanup(() => {
    clearInterval(timer);
    window.removeEventListener('resize', onResize);
    if (chart.plot) chart.plot.destroy();
  });
  return sec;
};

function sumKeys(obj, re) {
  let n = 0;
  if (isObj(obj)) for (const [k, v] of Object.entries(obj)) if (re.test(k) && typeof v === 'number') n += v;
  return n;
}

function renderHeadline(box, s) {
  const t = isObj(s.totals) ? s.totals : {};
  const card = (label, value, warn) => el('div', {class: 'card' + (warn ? ' warn' : '')},
    el('div', {class: 'value', text: value === undefined ? '—' : fmtNum(value)}),
    el('div', {class: 'label', text: label}));
  const drops = sumKeys(t, /drop/);
  let rps;
  if (isObj(s.rate) && isObj(s.rate.series)) {
    rps = 0;
    for (const v of Object.values(s.rate.series)) {
      if (Array.isArray(v) && v.length) rps += Number(v[v.length - 1]) || 0;
    }
  }
  clear(box,
    card('records written', s.records_written),
    card('hosts', s.hosts),
    card('db generation', s.db_generation),
    card('packets', t.rx_pkts),
    card('drops', drops, drops > 0),
    rps === undefined ? null : card('records/s (last)', rps));
}

function chartWidth(box) {
  return Math.max(300, box.clientWidth || 800);
}

function renderChart(box, rate, chart) {
  if (!isObj(rate) || !isObj(rate.series)) {
    if (!chart.plot) clear(box, muted('no rate data from this netprint'));
    return;
  }
  if (typeof window.uPlot !== 'function') {
    clear(box, muted('the chart library (/vendor/uPlot.iife.min.js) did not load'));
    return;
  }
  /* the kinds seen in the window (all of them when none is) */
  const all = Object.keys(rate.series).filter((k) => Array.isArray(rate.series[k]));
  const seen = all.filter((k) => rate.series[k].some((x) => typeof x === 'number' && x > 0));
  const kinds = seen.length ? seen : all;
  const n = kinds.reduce((m, k) => Math.max(m, rate.series[k].length), 0);
  const step = Number(rate.step_s) || 1;
  const end = Number(rate.end) || Math.floor(Date.now() / 1000);
  const xs = Array.from({length: n}, (_, i) => end - (n - 1 - i) * step);
  const data = [xs].concat(kinds.map((k) => {
    const v = rate.series[k].map((x) => (typeof x === 'number' ? x : null));
    return new Array(n - v.length).fill(null).concat(v);
  }));
  const key = JSON.stringify(kinds);
  if (chart.plot && chart.key === key) {
    chart.plot.setData(data);
    return;
  }
  if (chart.plot) chart.plot.destroy();
  box.replaceChildren();
  const opts = {
    width: chartWidth(box), height: 240,
    scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(1, max)]}},
    series: [{label: 'time'}].concat(kinds.map((k, i) => ({
      label: k, stroke: PALETTE[i % PALETTE.length], width: 1.5, points: {show: false},
    }))),
    axes: [{}, {size: 50}],
  };
  chart.plot = new window.uPlot(opts, data, box);
  chart.key = key;
}

function renderKinds(box, kinds) {
  clear(box, isObj(kinds) ? kvTable(kinds, ['kind', 'records since start'], 'kinds-rows') : null);
}

function counterCell(key, v) {
  const warn = WARN_KEY.test(key) && typeof v === 'number' && v !== 0;
  return el('td', {class: 'num' + (warn ? ' warn' : ''), text: v === undefined ? '' : fmtNum(v)});
}

/* Rows: every counter key; columns: the total and each worker. */
function renderWorkers(box, s) {
  const ws = Array.isArray(s.workers) ? s.workers.filter(isObj) : [];
  const totals = isObj(s.totals) ? s.totals : {};
  const keys = unionKeys(ws, Object.keys(totals));
  const {table: t, body} = table(['counter', 'total'].concat(ws.map((_, i) => 'worker ' + i)),
    'workers-rows', 'grid compact');
  for (const k of keys) {
    body.appendChild(el('tr', null, el('th', {text: k}), counterCell(k, totals[k]),
      ws.map((w) => counterCell(k, w[k]))));
  }
  clear(box, keys.length ? t : muted('no counters'));
}

function renderPorts(box, ports) {
  if (!Array.isArray(ports)) { box.replaceChildren(); return; }
  const rows = ports.filter(isObj);
  const cols = unionKeys(rows);
  const {table: t, body} = table(cols, 'ports-rows', 'grid compact');
  for (const p of rows) {
    body.appendChild(el('tr', null, cols.map((c) => (typeof p[c] === 'number' ? counterCell(c, p[c]) : td(p[c])))));
  }
  clear(box, el('h2', {text: 'Ports'}), rows.length ? t : muted('no ports'));
}

function renderTops(box, top) {
  if (!isObj(top)) { box.replaceChildren(); return; }
  const win = typeof top.window_s === 'number' ? ` (last ${Math.round(top.window_s / 60)} min)` : '';
  const cards = [];
  for (const [k, list] of Object.entries(top)) {
    if (!Array.isArray(list)) continue;
    const rows = list.filter(isObj);
    const max = rows.reduce((m, r) => Math.max(m, Number(r.count) || 0), 0);
    const {table: t, body} = table(['label', '', 'count'], null, 'grid bars');
    t.dataset.key = k;
    for (const r of rows) {
      const fill = el('div', {class: 'fill'});
      fill.style.width = (max ? Math.max(1, (100 * (Number(r.count) || 0)) / max) : 0) + '%';
      const lbl = r.label === null || r.label === undefined ? muted('unknown') : String(r.label);
      body.appendChild(el('tr', null, el('td', {class: 'lbl'}, lbl),
        el('td', {class: 'barcell'}, el('div', {class: 'bar'}, fill)),
        td(r.count, 'num')));
    }
    cards.push(el('div', {class: 'top'}, el('h3', {text: (TOP_TITLES[k] || k) + win}),
      rows.length ? t : muted('nothing seen')));
  }
  clear(box, cards.length ? el('h2', {text: 'Most seen'}) : null, cards);
}

/* ---- addresses and CIDRs ---------------------------------------------- */

function parseV4(s) {
  const p = s.split('.');
  if (p.length !== 4) return null;
  const b = p.map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : 256));
  return b.every((x) => x < 256) ? b : null;
}

function parseV6(s) {
  s = s.replace(/%.*$/, '');   /* a zone: fe80::1%eth0 */
  const last = s.lastIndexOf(':');
  if (s.includes('.', last)) {   /* ::ffff:1.2.3.4: the IPv4 part as two groups */
    const v4 = parseV4(s.slice(last + 1));
    if (!v4) return null;
    s = s.slice(0, last + 1) + ((v4[0] << 8) | v4[1]).toString(16) + ':' + ((v4[2] << 8) | v4[3]).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h) => (h === '' ? [] : h.split(':'));
  const a = groups(halves[0]), b = halves.length === 2 ? groups(halves[1]) : [];
  if (![...a, ...b].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const fill = 8 - a.length - b.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const bytes = [];
  for (const g of [...a, ...new Array(fill).fill('0'), ...b]) {
    const w = parseInt(g, 16);
    bytes.push(w >> 8, w & 255);
  }
  return bytes;
}

/* "1.2.3.4", "2001:db8::1" → {v, bytes}; anything else → null */
function parseIP(s) {
  if (typeof s !== 'string') return null;
  s = s.trim().replace(/^\[|\]$/g, '');
  if (s.includes(':')) {
    const b = parseV6(s);
    return b ? {v: 6, bytes: b} : null;
  }
  const b = parseV4(s);
  return b ? {v: 4, bytes: b} : null;
}

/* "10.0.0.0/8", "2001:db8::/32" or one address → {v, bytes, bits}; else null */
function parseNet(s) {
  const [addr, len, extra] = s.trim().split('/');
  if (extra !== undefined) return null;
  const ip = parseIP(addr);
  if (!ip) return null;
  const max = ip.v === 4 ? 32 : 128;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return null;
  const bits = len === undefined ? max : Number(len);
  return bits <= max ? {v: ip.v, bytes: ip.bytes, bits} : null;
}

function netContains(net, addr) {
  let ip = parseIP(addr);
  if (!ip) return false;
  if (ip.v === 6 && net.v === 4 && ip.bytes.slice(0, 12).join() === '0,0,0,0,0,0,0,0,0,0,255,255') {
    ip = {v: 4, bytes: ip.bytes.slice(12)};   /* an IPv4-mapped address */
  }
  if (ip.v !== net.v) return false;
  for (let i = 0, left = net.bits; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 255 : (0xff00 >> left) & 255;
    if ((ip.bytes[i] & mask) !== (net.bytes[i] & mask)) return false;
  }
  return true;
}

/* ---- #/live ----------------------------------------------------------- */

const LIVE_MAX = 500;
const EVENT_ID = Symbol('event id');
const KINDS = ['syn', 'syn+ack', 'mtu', 'uptime', 'http request', 'http response',
  'tls client', 'tls server', 'host change', 'ip sharing'];
const KIND_CLASS = {'syn': 'k-syn', 'syn+ack': 'k-synack', 'mtu': 'k-mtu', 'uptime': 'k-uptime',
  'http request': 'k-http', 'http response': 'k-http', 'tls client': 'k-tls',
  'tls server': 'k-tls', 'host change': 'k-change', 'ip sharing': 'k-change'};
/* Fields a row shows in its own columns; the rest are details. */
const LIVE_SHOWN = ['time', 'epoch', 'epoch_us', 'mod', 'kind', 'client', 'server', 'os', 'app'];
const LIVE_VERBOSE = /^tls\.(ja4_r|ja4_o|ja4_ro|ja3\.string|ja3s\.string)$|^raw_hits$/;

const recKind = (r) => (typeof r.mod === 'string' ? r.mod : typeof r.kind === 'string' ? r.kind : '?');

function recLabel(r) {
  const parts = [labelText(r.os), labelText(r.app)];
  if (typeof r.link === 'string') parts.push(r.link);
  if (typeof r.uptime_min === 'number') parts.push('up ' + fmtDuration(r.uptime_min));
  if (Array.isArray(r.reasons)) parts.push(r.reasons.join(', '));
  return parts.filter((p) => p).join(' · ');
}

function recSearchText(r) {
  const bits = [];
  for (const k of ['os', 'app']) {
    if (isObj(r[k])) for (const v of Object.values(r[k])) if (typeof v === 'string') bits.push(v);
  }
  for (const k of ['link', 'language']) if (typeof r[k] === 'string') bits.push(r[k]);
  if (Array.isArray(r.reasons)) bits.push(r.reasons.join(' '));
  return bits.join(' ').toLowerCase();
}

/* {a: {b: 1}, c: [1, 2]} → [['a.b', 1], ['c', '1, 2']] */
function flatten(obj, prefix, out) {
  out = out || [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? prefix + '.' + k : k;
    if (isObj(v)) flatten(v, key, out);
    else if (Array.isArray(v)) out.push([key, v.map((x) => (isObj(x) ? JSON.stringify(x) : String(x))).join(', ')]);
    else if (v !== null && v !== undefined) out.push([key, v]);
  }
  return out;
}

function endpoint(p) {
  if (!isObj(p)) return el('td', null, muted('—'));
  return el('td', {class: 'ep'}, hostLink(p.ip), p.port === undefined ? null : el('span', {class: 'port', text: ':' + p.port}));
}

function liveRow(r) {
  const rest = {};
  for (const [k, v] of Object.entries(r)) if (!LIVE_SHOWN.includes(k)) rest[k] = v;
  const flat = flatten(rest).filter(([, v]) => v !== '');
  const item = ([k, v]) => el('span', {class: 'item'}, el('span', {class: 'k', text: k + ' '}),
    SIG_KEY.test(k.split('.').pop()) ? code(v) : el('span', {text: typeof v === 'number' ? fmtNum(v) : String(v)}));
  const short = flat.filter(([k]) => !LIVE_VERBOSE.test(k));
  const more = flat.filter(([k]) => LIVE_VERBOSE.test(k));
  const when = typeof r.epoch_us === 'number' ? new Date(r.epoch_us / 1000) :
    typeof r.epoch === 'number' ? new Date(r.epoch * 1000) : null;
  const kind = recKind(r);
  return el('tr', null,
    el('td', {class: 'time', title: typeof r.time === 'string' ? r.time : null,
      text: when ? `${fmtDate(when).slice(11)}.${pad(when.getMilliseconds(), 3)}` : String(r.time || '')}),
    el('td', null, el('span', {class: 'kind ' + (KIND_CLASS[kind] || 'k-other'), text: kind})),
    endpoint(r.client), endpoint(r.server),
    el('td', {class: 'lbl'}, recLabel(r) || muted('—')),
    el('td', {class: 'details'}, short.map(item),
      more.length ? el('details', null, el('summary', {text: 'more'}), more.map(item)) : null));
}

PAGES.live = function (ctx) {
  const kindSel = el('select', {id: 'live-kind', title: 'kind'}, option('', 'all kinds'));
  const known = new Set();
  const addKind = (k) => {
    if (!known.has(k)) kindSel.appendChild(option(k));
    known.add(k);
  };
  KINDS.forEach(addKind);
  const addrIn = el('input', {id: 'live-addr', type: 'text', placeholder: 'address or CIDR', spellcheck: 'false', size: 22});
  const textIn = el('input', {id: 'live-text', type: 'text', placeholder: 'OS / app contains', size: 18});
  const pauseBtn = el('button', {id: 'live-pause', type: 'button', text: 'Pause'});
  const status = el('span', {id: 'live-status', class: 'muted', text: 'connecting…'});
  const lostBox = el('span', {id: 'live-lost', class: 'warn hidden'});
  const count = el('span', {id: 'live-count', class: 'muted'});
  const hint = el('span', {id: 'live-addr-hint', class: 'error-inline hidden', text: 'not an address or CIDR'});
  const {table: t, body} = table(['time', 'kind', 'client', 'server', 'label / app', 'details'], 'live-rows', 'grid live');
  const empty = emptyNote(t, body, 'no records yet');
  const sec = page('live', 'Live records',
    el('div', {class: 'toolbar'}, kindSel, addrIn, hint, textIn, pauseBtn, status, lostBox, count),
    t, empty.note);

  const records = [];   /* newest first, at most LIVE_MAX */
  const ids = new Set();   /* their event ids: a reconnection sends the recent ones again */
  let queue = [], flushTimer = null, paused = false, unseen = 0, lost = 0;
  const filter = {kind: '', net: null, text: ''};

  const matches = (r) => (!filter.kind || recKind(r) === filter.kind) &&
    (!filter.net || (isObj(r.client) && netContains(filter.net, r.client.ip)) ||
      (isObj(r.server) && netContains(filter.net, r.server.ip))) &&
    (!filter.text || recSearchText(r).includes(filter.text));
  const showCount = () => {
    count.textContent = `${body.rows.length} shown of ${records.length} kept` +
      (paused && unseen ? ` · ${unseen} new while paused` : '');
    empty.update();
  };
  const rerender = () => {
    body.replaceChildren(...records.filter(matches).map(liveRow));
    showCount();
  };
  function flush() {
    flushTimer = null;
    const batch = queue;
    queue = [];
    for (const r of batch) {
      records.unshift(r);
      addKind(recKind(r));
      if (paused) unseen++;
      else if (matches(r)) body.insertBefore(liveRow(r), body.firstChild);
    }
    for (const r of records.splice(LIVE_MAX)) ids.delete(r[EVENT_ID]);
    while (body.rows.length > LIVE_MAX) body.deleteRow(-1);
    showCount();
    ctx.ready();
  }

  kindSel.addEventListener('change', () => { filter.kind = kindSel.value; rerender(); });
  addrIn.addEventListener('input', () => {
    const s = addrIn.value.trim();
    filter.net = s ? parseNet(s) : null;
    const bad = s !== '' && !filter.net;
    addrIn.classList.toggle('invalid', bad);
    hint.classList.toggle('hidden', !bad);
    rerender();
  });
  textIn.addEventListener('input', () => { filter.text = textIn.value.trim().toLowerCase(); rerender(); });
  pauseBtn.addEventListener('click', () => {
    paused = !paused;
    pauseBtn.textContent = paused ? 'Resume' : 'Pause';
    pauseBtn.classList.toggle('on', paused);
    if (!paused) { unseen = 0; rerender(); } else showCount();
  });

  showCount();
  if (typeof window.EventSource !== 'function') {
    status.textContent = 'this browser has no EventSource';
    ctx.ready();
    return sec;
  }
  const es = new EventSource('/api/events');
  let readyTimer = null;
  es.onopen = () => {
    status.textContent = 'connected';
    status.className = 'ok';
    if (!readyTimer) readyTimer = setTimeout(ctx.ready, 300);
  };
  es.onerror = () => {
    status.textContent = es.readyState === EventSource.CLOSED ? 'disconnected (reload the page)' : 'reconnecting…';
    status.className = 'error-inline';
    ctx.ready();
  };
  es.onmessage = (e) => {
    let r;
    try { r = JSON.parse(e.data); } catch (_) { return; }
    if (!isObj(r) || (e.lastEventId && ids.has(e.lastEventId))) return;
    if (e.lastEventId) ids.add((r[EVENT_ID] = e.lastEventId));
    queue.push(r);
    for (const old of queue.splice(0, Math.max(0, queue.length - LIVE_MAX))) ids.delete(old[EVENT_ID]);
    if (!flushTimer) flushTimer = setTimeout(flush, 100);
  };
  es.addEventListener('lost', (e) => {
    let n = 0;
    try { n = Number(JSON.parse(e.data).lost) || 0; } catch (_) { return; }
    lost += n;
    lostBox.textContent = `lost ${fmtNum(lost)} records`;
    lostBox.classList.remove('hidden');
  });
  ctx.onCleanup(() => {
    es.close();
    clearTimeout(flushTimer);
    clearTimeout(readyTimer);
  });
  return sec;
};

/* ---- #/hosts and #/host/ADDR ------------------------------------------ */

PAGES.hosts = function (ctx) {
  const q = el('input', {id: 'hosts-q', type: 'search', placeholder: 'address prefix or label word',
    spellcheck: 'false', size: 32, maxlength: 64});
  q.value = ctx.query.get('q') || '';
  const form = el('form', {id: 'hosts-form', class: 'toolbar'}, q, el('button', {type: 'submit', text: 'Search'}));
  const summary = el('p', {id: 'hosts-summary', class: 'muted'});
  const err = el('div', {id: 'hosts-error'});
  const {table: t, body} = table(['address', 'OS', 'HTTP', 'TLS app', 'link', 'distance',
    'connections', 'last seen'], 'hosts-rows');
  const empty = emptyNote(t, body, 'no host matches');
  const sec = page('hosts', 'Hosts', form, summary, err, t, empty.note);
  let seq = 0, debounce = null;

  async function search() {
    const text = q.value.trim();
    const my = ++seq;
    history.replaceState(null, '', '#/hosts' + (text ? '?q=' + encodeURIComponent(text) : ''));
    const r = await api('/api/hosts' + (text ? '?q=' + encodeURIComponent(text) : ''));
    if (!ctx.alive() || my !== seq) return;
    clear(err, r.ok ? null : errorBox('/api/hosts: ' + r.error));
    const hosts = r.ok && Array.isArray(r.data.hosts) ? r.data.hosts.filter(isObj) : [];
    body.replaceChildren(...hosts.map((h) => el('tr', null,
      el('td', null, hostLink(h.addr)),
      td(labelText(h.os)), td(labelText(h.http)), td(isObj(h.tls) ? labelText(h.tls.app) : ''),
      td(h.link), td(h.distance, 'num'), td(h.total_conn, 'num'),
      el('td', null, timeNode(h.last_seen)))));
    summary.textContent = !r.ok ? '' : `${hosts.length} host${hosts.length === 1 ? '' : 's'}` +
      (text ? ' matching' : ', newest first') +
      (typeof r.data.scanned === 'number' ? ` · ${fmtNum(r.data.scanned)} scanned` : '') +
      (r.data.more ? ' · more match: refine the search' : '');
    empty.update();
    ctx.ready();
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(debounce); search(); });
  q.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(search, 350); });
  ctx.onCleanup(() => clearTimeout(debounce));
  search();
  return sec;
};

PAGES.host = function (ctx) {
  const addr = ctx.param;
  const box = el('div', {id: 'host-view'});
  const back = el('a', {text: '← all hosts'});
  back.href = '#/hosts';
  const sec = page('host', 'Host', el('p', {class: 'subtitle'}, code(addr), ' ', back), box);
  (async () => {
    const r = addr ? await api('/api/host/' + encodeURIComponent(addr)) :
      {ok: false, status: 400, error: 'no address given'};
    if (!ctx.alive()) return;
    if (r.ok) clear(box, hostView(r.data));
    else if (r.status === 404) clear(box, errorBox('unknown host: netprint has not seen ' + addr, 'host-error'));
    else clear(box, errorBox(r.error, 'host-error'));
    ctx.ready();
  })();
  return sec;
};

/* ---- #/me ------------------------------------------------------------- */

PAGES.me = function (ctx) {
  const client = el('code', {id: 'me-client', class: 'sig', text: '…'});
  const proxy = el('span', {id: 'me-proxy', text: '…'});
  const box = el('div', {id: 'me-view'});
  const sec = page('me', 'My connection',
    el('dl', {class: 'kv narrow'}, el('dt', {text: 'your address'}), el('dd', null, client),
      el('dt', {text: 'via proxy'}), el('dd', null, proxy)), box);
  (async () => {
    const r = await api('/api/me');
    if (!ctx.alive()) return;
    const d = isObj(r.data) ? r.data : {};
    const seen = typeof d.client === 'string' ? d.client : typeof d.addr === 'string' ? d.addr : null;
    client.textContent = seen || 'unknown';
    clear(proxy, typeof d.via_proxy === 'string' ? code(d.via_proxy) : muted('none'));
    if (r.ok) {
      clear(box, hostView(d));
    } else if (r.status === 404) {
      clear(box, el('div', {id: 'me-unseen', class: 'notice'},
        el('p', {text: `netprint has not seen this connection's SYN yet, so it knows nothing of ` +
          `${seen || 'your address'}.`}),
        el('p', {text: 'It may listen on another interface than the one this page came through, ' +
          'the capture may not include this connection, or the connection is older than the ' +
          'capture. Open a new connection (reload the page in a fresh window) while netprint ' +
          'listens on the path your traffic takes.'})));
    } else {
      clear(box, errorBox('/api/me: ' + r.error));
    }
    ctx.ready();
  })();
  return sec;
};

/* ---- #/unknown -------------------------------------------------------- */

async function copyText(text, btn, pre) {
  const flash = (msg) => {
    btn.textContent = msg;
    setTimeout(() => { btn.textContent = 'copy'; }, 1500);
  };
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      flash('copied');
      return;
    }
  } catch (_) { /* fall back to selecting it */ }
  const range = document.createRange();
  range.selectNodeContents(pre);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  flash('selected: Ctrl+C');
}

function unknownRow(u) {
  const hosts = Array.isArray(u.hosts) ? u.hosts.filter((h) => typeof h === 'string') : [];
  const shown = hosts.slice(0, 8);
  const line = typeof u.db_line === 'string' ? u.db_line : '';
  const pre = el('pre', {class: 'dbline', text: line});
  const btn = el('button', {type: 'button', class: 'copy', text: 'copy'});
  btn.addEventListener('click', () => { copyText(line, btn, pre); });
  return el('tr', null,
    td(u.kind), td(u.count, 'num'),
    el('td', {class: 'sigcell'}, code(u.sig)),
    el('td', {class: 'hostlist'}, shown.map((h) => el('div', null, hostLink(h))),
      hosts.length > shown.length ? muted(`+${hosts.length - shown.length} more`) : null),
    el('td', null, timeNode(u.last_seen)),
    el('td', {class: 'dbcell'}, line ? [pre, btn] : muted('—')));
}

PAGES.unknown = function (ctx) {
  const summary = el('p', {id: 'unknown-summary', class: 'muted'});
  const err = el('div', {id: 'unknown-error'});
  const refresh = el('button', {id: 'unknown-refresh', type: 'button', text: 'Refresh'});
  const {table: t, body} = table(['kind', 'count', 'raw signature', 'example hosts', 'last seen',
    'database line'], 'unknown-rows', 'grid unknown');
  const empty = emptyNote(t, body, 'no unknown signature seen');
  const sec = page('unknown', 'Unknown signatures',
    el('div', {class: 'toolbar'}, refresh, summary), err, t, empty.note);
  async function load() {
    const r = await api('/api/unknown');
    if (!ctx.alive()) return;
    clear(err, r.ok ? null : errorBox('/api/unknown: ' + r.error));
    const d = r.ok && isObj(r.data) ? r.data : {};
    const entries = Array.isArray(d.entries) ? d.entries.filter(isObj) : [];
    body.replaceChildren(...entries.map(unknownRow));
    summary.textContent = r.ok ? [
      typeof d.distinct === 'number' ? `${fmtNum(d.distinct)} distinct` : null,
      typeof d.overflow === 'number' ? `${fmtNum(d.overflow)} not kept (table full)` : null,
    ].filter((x) => x).join(' · ') : '';
    empty.update();
    ctx.ready();
  }
  refresh.addEventListener('click', load);
  load();
  return sec;
};

/* ---- #/db ------------------------------------------------------------- */

let dbToken = '';   /* kept while the page is open, never stored */

const DB_STATUS = {
  202: ['ok', 'reload requested: the new generation shows below once loaded'],
  401: ['error-inline', 'wrong token'],
  403: ['error-inline', 'no token configured: start netprint with --http-token FILE'],
};

function tokenInput(id) {
  const t = el('input', {id, type: 'password', placeholder: 'token', autocomplete: 'off', size: 24});
  t.value = dbToken;
  t.addEventListener('input', () => {
    dbToken = t.value;
    for (const o of document.querySelectorAll('input.token')) if (o !== t) o.value = dbToken;
  });
  t.classList.add('token');
  return t;
}

function dbInfo(box, d) {
  const info = {};
  for (const [k, v] of Object.entries(d)) if (!['hits', 'candidates', 'signatures'].includes(k)) info[k] = v;
  const parts = [renderDL(info, ['generation', 'files', 'reloads', 'reload_failures', 'labels', 'sig_lines'], 0, 'db-info')];
  if (isObj(d.signatures)) parts.push(kvTable(d.signatures, ['section', 'signatures'], 'db-signatures'));
  clear(box, el('div', {class: 'split'}, parts));
}

function hitsTable(box, hits, filterIn) {
  if (!Array.isArray(hits)) {
    clear(box, muted('this netprint does not report signature hits'));
    return () => {};
  }
  const rows = hits.filter(isObj).sort((a, b) => (Number(b.count) || 0) - (Number(a.count) || 0));
  const {table: t, body} = table(['section', 'label', 'line', 'count'], 'db-hits');
  const empty = emptyNote(t, body, 'no signature matched yet');
  const render = () => {
    const f = filterIn.value.trim().toLowerCase();
    body.replaceChildren(...rows.filter((h) => !f || `${h.section} ${h.label}`.toLowerCase().includes(f))
      .map((h) => el('tr', null, td(h.section), td(h.label), td(str(h.line), 'num'), td(h.count, 'num'))));
    empty.update();
  };
  render();
  clear(box, t, empty.note);
  return render;
}

function labelCell(v, cls) {
  return el('td', {class: cls}, v === null || v === undefined ? muted('unknown') : String(v));
}

function compareResult(box, d) {
  const changes = Array.isArray(d.changes) ? d.changes.filter(isObj) : [];
  const {table: t, body} = table(['kind', 'signature', 'example host', 'count', 'old label', 'new label'],
    'compare-rows', 'grid compare');
  for (const c of changes) {
    body.appendChild(el('tr', null, td(c.kind), el('td', {class: 'sigcell'}, code(c.sig)),
      el('td', null, hostLink(c.host)), td(c.count, 'num'), labelCell(c.old, 'old'), labelCell(c.new, 'new')));
  }
  const empty = emptyNote(t, body, 'no observation would change label');
  empty.update();
  clear(box, el('p', {id: 'compare-summary'},
    'file ', code(d.file), ': ',
    `${fmtNum(d.observations === undefined ? 0 : d.observations)} observations, ` +
    `${fmtNum(d.changed === undefined ? 0 : d.changed)} would change`), t, empty.note);
}

PAGES.db = function (ctx) {
  const err = el('div', {id: 'db-error'});
  const info = el('div', {id: 'db-summary'});
  const hitsFilter = el('input', {id: 'db-hits-filter', type: 'search', placeholder: 'filter section or label', size: 28});
  const hitsBox = el('div', {id: 'db-hits-box'});
  let renderHits = () => {};
  hitsFilter.addEventListener('input', () => renderHits());

  const reloadStatus = el('span', {id: 'reload-status'});
  const reloadForm = el('form', {id: 'reload-form', class: 'toolbar'}, tokenInput('reload-token'),
    el('button', {id: 'reload-button', type: 'submit', text: 'Reload database'}), reloadStatus);

  const candSel = el('select', {id: 'compare-select'}, option('', 'a candidate file…'));
  const pathIn = el('input', {id: 'compare-path', type: 'text', placeholder: 'or a path on the sensor', size: 32, spellcheck: 'false'});
  const cmpStatus = el('span', {id: 'compare-status'});
  const cmpForm = el('form', {id: 'compare-form', class: 'toolbar'}, candSel, pathIn, tokenInput('compare-token'),
    el('button', {id: 'compare-button', type: 'submit', text: 'Compare'}), cmpStatus);
  const cmpBox = el('div', {id: 'compare-result'});

  const sec = page('db', 'Signature database', err, info,
    el('h2', {text: 'Reload'}), el('p', {class: 'muted', text: 'Reads the database files again (as SIGHUP does).'}), reloadForm,
    el('h2', {text: 'Compare with another database'}),
    el('p', {class: 'muted', text: 'What the recent observations would be labelled with that file instead.'}),
    cmpForm, cmpBox,
    el('h2', {text: 'Signature hits'}), el('div', {class: 'toolbar'}, hitsFilter), hitsBox);

  let candidatesShown = false;
  async function load() {
    const r = await api('/api/db');
    if (!ctx.alive()) return;
    clear(err, r.ok ? null : errorBox('/api/db: ' + r.error));
    if (r.ok) {
      dbInfo(info, r.data);
      renderHits = hitsTable(hitsBox, r.data.hits, hitsFilter);
      if (!candidatesShown && Array.isArray(r.data.candidates)) {
        candidatesShown = true;
        for (const c of r.data.candidates) if (typeof c === 'string') candSel.appendChild(option(c));
      }
    }
    ctx.ready();
  }

  const setStatus = (node, cls, text) => { node.className = cls; node.textContent = text; };
  const timers = [];
  reloadForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    setStatus(reloadStatus, 'muted', 'asking…');
    const r = await api('/api/db/reload', {method: 'POST', headers: authHeaders(dbToken)});
    if (!ctx.alive()) return;
    const [cls, text] = DB_STATUS[r.status] || ['error-inline', r.error || `HTTP ${r.status}`];
    setStatus(reloadStatus, cls, text);
    if (r.status === 202) timers.push(setTimeout(load, 1000), setTimeout(load, 4000));
  });
  cmpForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const path = pathIn.value.trim() || candSel.value;
    if (!path) { setStatus(cmpStatus, 'error-inline', 'choose a candidate or type a path'); return; }
    setStatus(cmpStatus, 'muted', 'comparing…');
    const r = await api('/api/db/compare?q=' + encodeURIComponent(path), {method: 'POST', headers: authHeaders(dbToken)});
    if (!ctx.alive()) return;
    if (r.ok) {
      setStatus(cmpStatus, 'ok', 'done');
      compareResult(cmpBox, r.data);
    } else {
      const known = r.status === 401 || r.status === 403 ? DB_STATUS[r.status][1] + ': ' : '';
      setStatus(cmpStatus, 'error-inline', known + r.error);
      cmpBox.replaceChildren();
    }
  });
  ctx.onCleanup(() => timers.forEach(clearTimeout));
  load();
  return sec;
};

/* ---- start ------------------------------------------------------------ */

window.addEventListener('hashchange', navigate);
navigate();
