// Opens notebook HTML reports (files written by `workbench notebook run --html`) in Debian's headless Chromium
// through playwright-core, takes a full-page screenshot of each and checks what the page renders.
//
// Usage: node check-pages.mjs SPEC.json  -> prints one JSON document (the results) on standard output.
//
// SPEC: {"chromium": "/usr/bin/chromium", "pages": [{"name", "html" (absolute path), "screenshot" (PNG path),
//        "expect": EXPECTATIONS}]}
// EXPECTATIONS (every key optional; add new kinds in CHECKS below):
//   "tables":   [{"caption": "conn (34 rows, 22 columns)", "rows": 34}, ...]  every table inside a notebook output, in
//               page order: the caption text and the number of body rows rendered
//   "plotly":   {"min": 1} or {"count": 2}                                  how many div.plotly-graph-div
//   "plotlyTraces": [{"index": 0, "traces": 2, "points": [5, 7], "names": ["dns", "http"]}, ...]
//   "graphs":   [{"index": 0, "nodeCount": 12}, ...]                        svg.workbench-graph[data-node-count], its
//               g.wb-node elements, and the nodes cytoscape drew in the matching .workbench-graph-interactive
//   "selectors": [{"selector": "div.workbench-progress", "count": 3}, ...]  any CSS selector and its match count
//
// Checked on every page regardless of expectations: no console errors or uncaught exceptions, no request leaving the
// page (only file:, data:, blob: and about: URLs may load; others are aborted and reported), and every
// div.plotly-graph-div has a non-empty `data` array of traces.
// Result: {"pages": [{"name", "failures": [...], "facts": {...}}]}; facts describe what was found, for messages.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const LOCAL = /^(file|data|blob|about):/;

// Flags from the machine notes: without the background-networking ones Chromium tries to reach Google's hosts.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Collected in the page: tables, plotly divs, graph pictures, selector counts. */
function collect(selectors) {
  const tables = [...document.querySelectorAll('.output table')].map((t) => ({
    caption: t.caption ? t.caption.textContent.trim() : null,
    rows: t.tBodies.length ? [...t.tBodies].reduce((n, b) => n + b.rows.length, 0) : t.rows.length,
    columns: t.tHead && t.tHead.rows.length ? t.tHead.rows[0].cells.length : (t.rows[0] ? t.rows[0].cells.length : 0),
  }));
  const plotly = [...document.querySelectorAll('div.plotly-graph-div')].map((d) => {
    const data = Array.isArray(d.data) ? d.data : null;
    return {
      id: d.id || null,
      rendered: !!d._fullLayout,
      traces: data ? data.length : -1,
      names: data ? data.map((t) => (t.name === undefined ? null : String(t.name))) : [],
      types: data ? data.map((t) => t.type || 'scatter') : [],
      points: data ? data.map((t) => {
        const v = t.x || t.y || t.values || t.labels || t.z || [];
        return typeof v.length === 'number' ? v.length : 0;
      }) : [],
    };
  });
  const graphs = [...document.querySelectorAll('svg.workbench-graph')].map((s) => ({
    nodeCount: s.hasAttribute('data-node-count') ? Number(s.getAttribute('data-node-count')) : null,
    nodeElements: s.querySelectorAll('g.wb-node').length,
    edgeElements: s.querySelectorAll('[data-edge-id], [data-relationship-id]').length,
  }));
  const counts = {};
  for (const s of selectors) {
    counts[s] = document.querySelectorAll(s).length;
  }
  // the interactive pictures: how many nodes cytoscape drew
  const interactive = [...document.querySelectorAll('.workbench-graph-interactive')].map((d) => ({
    nodeCount: d.hasAttribute('data-node-count') ? Number(d.getAttribute('data-node-count')) : null,
    drawn: d.getAttribute('data-drawn') === 'true',
    drawnNodes: d.workbenchCy ? d.workbenchCy.nodes().length : -1,
  }));
  return { title: document.title, tables, plotly, graphs, interactive, counts,
    height: document.documentElement.scrollHeight };
}

/** Each check compares the facts with one kind of expectation and pushes human-readable failures. */
const CHECKS = {
  tables(facts, expected, fail) {
    if (facts.tables.length !== expected.length) {
      fail(`${facts.tables.length} tables rendered, the notebook's outputs hold ${expected.length}`);
    }
    expected.forEach((e, i) => {
      const t = facts.tables[i];
      if (!t) return;
      if (e.caption != null && t.caption !== e.caption) fail(`table ${i}: caption '${t.caption}', expected '${e.caption}'`);
      if (e.rows != null && t.rows !== e.rows) fail(`table ${i} ('${t.caption}'): ${t.rows} rows rendered, expected ${e.rows}`);
      if (e.columns != null && t.columns !== e.columns) fail(`table ${i} ('${t.caption}'): ${t.columns} columns, expected ${e.columns}`);
    });
  },
  plotly(facts, expected, fail) {
    const n = facts.plotly.length;
    if (expected.count != null && n !== expected.count) fail(`${n} plotly charts, expected ${expected.count}`);
    if (expected.min != null && n < expected.min) fail(`${n} plotly charts, expected at least ${expected.min}`);
  },
  plotlyTraces(facts, expected, fail) {
    for (const e of expected) {
      const p = facts.plotly[e.index];
      if (!p) { fail(`no plotly chart #${e.index}`); continue; }
      if (e.traces != null && p.traces !== e.traces) fail(`chart #${e.index}: ${p.traces} traces, expected ${e.traces}`);
      if (e.points != null && JSON.stringify(p.points) !== JSON.stringify(e.points)) fail(`chart #${e.index}: points per trace ${JSON.stringify(p.points)}, expected ${JSON.stringify(e.points)}`);
      if (e.names != null && JSON.stringify(p.names) !== JSON.stringify(e.names)) fail(`chart #${e.index}: trace names ${JSON.stringify(p.names)}, expected ${JSON.stringify(e.names)}`);
    }
  },
  graphs(facts, expected, fail) {
    for (const e of expected) {
      const g = facts.graphs[e.index];
      if (!g) { fail(`no svg.workbench-graph #${e.index}`); continue; }
      if (e.nodeCount != null && g.nodeCount !== e.nodeCount) fail(`graph #${e.index}: data-node-count ${g.nodeCount}, expected ${e.nodeCount}`);
      if (e.nodeCount != null && g.nodeElements !== e.nodeCount) fail(`graph #${e.index}: ${g.nodeElements} g.wb-node drawn in the SVG, expected ${e.nodeCount}`);
      const live = facts.interactive[e.index];
      if (!live) { fail(`no interactive picture #${e.index}`); continue; }
      if (!live.drawn || (e.nodeCount != null && live.drawnNodes !== e.nodeCount)) fail(`interactive graph #${e.index}: drawn=${live.drawn}, ${live.drawnNodes} nodes, expected ${e.nodeCount}`);
    }
  },
  selectors(facts, expected, fail) {
    for (const e of expected) {
      if (facts.counts[e.selector] !== e.count) fail(`'${e.selector}' matches ${facts.counts[e.selector]} elements, expected ${e.count}`);
    }
  },
};

async function checkPage(context, spec) {
  const failures = [];
  const fail = (m) => failures.push(m);
  const consoleErrors = [];
  const external = [];
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    external.push(url);
    return route.abort();
  });
  page.on('request', (r) => { if (!LOCAL.test(r.url()) && !external.includes(r.url())) external.push(r.url()); });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(spec.html).href, { waitUntil: 'load' });
  // plotly draws asynchronously: wait until every chart has its layout (or give up after 15 s and report it)
  await page.waitForFunction(() => [...document.querySelectorAll('div.plotly-graph-div')].every((d) => d._fullLayout),
    null, { timeout: 15000 }).catch(() => fail('a plotly chart did not finish drawing within 15 s'));
  await page.waitForTimeout(200);
  const expect = spec.expect || {};
  const selectors = (expect.selectors || []).map((s) => s.selector);
  const facts = await page.evaluate(collect, selectors);
  if (spec.screenshot) {
    await page.screenshot({ path: spec.screenshot, fullPage: true });
  }
  facts.consoleErrors = consoleErrors;
  facts.externalRequests = external;
  for (const e of consoleErrors) fail(`console error: ${e}`);
  for (const u of external) fail(`request leaving the page: ${u}`);
  facts.plotly.forEach((p, i) => {
    if (p.traces < 1) fail(`plotly chart #${i} (${p.id}) has no data traces`);
  });
  for (const [kind, expected] of Object.entries(expect)) {
    if (!CHECKS[kind]) { fail(`unknown expectation '${kind}'`); continue; }
    CHECKS[kind](facts, expected, fail);
  }
  await page.close();
  return { name: spec.name, failures, facts };
}

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const profile = mkdtempSync(join(tmpdir(), 'workbench-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: spec.chromium || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    offline: false,
  });
  const pages = [];
  for (const p of spec.pages) {
    pages.push(await checkPage(context, p));
  }
  process.stdout.write(JSON.stringify({ pages }) + '\n');
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
