// The browser half of `cargo xtask bench`: Debian's Chromium, cold loads.
//
//   node bench/browser.mjs prepare <kort base URL> <site dir> <floor dir> <slug>
//     Fills the nginx floor: the story page, a deep link and a layer as kort
//     serves them (for wrk), the plain Leaflet page with the same GeoJSON,
//     and kort's story page with the plain page's map script instead of
//     kort's bundle (for time to map).
//   node bench/browser.mjs measure <plan.json>
//     Prints the figures as JSON. The plan names the URLs and how many runs.
//
// "Time to map" is the `kort-map-ready` performance mark, which kort's map
// sets once every story layer is drawn and clickable, and the plain page
// sets once its layers are added: milliseconds from navigation start.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../end2end/browser.mjs';

const MARK = 'kort-map-ready';
/** The mark kort's page sets once every island on it has started. */
const PAGE_MARK = 'kort-page-ready';
/**
 * When the map kort's server draws into the page is painted: the page's
 * first contentful paint. Nothing of the page is painted before its lists
 * are parsed (`<link rel=expect href=#lists blocking=render>`), and the
 * map comes before them in the HTML (`prepare` checks).
 */
const VISIBLE = 'first-contentful-paint';
const TIMEOUT = 60_000;

async function prepare(base, site, floor, slug) {
  const save = async (url, file) => {
    const response = await fetch(`${base}${url}`);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const to = path.join(floor, file);
    mkdirSync(path.dirname(to), { recursive: true });
    const bytes = Buffer.from(await response.arrayBuffer());
    writeFileSync(to, bytes);
    // For nginx's gzip_static: the page compressed once, as kort keeps it.
    writeFileSync(`${to}.gz`, gzipSync(bytes, { level: 9 }));
  };
  await save(`/stories/${slug}`, 'story.html');
  const html = readFileSync(path.join(floor, 'story.html'), 'utf8');
  const [map, lists] = [html.indexOf('class="first-map"'), html.indexOf('id="lists"')];
  if (map < 0 || lists < 0 || map > lists) {
    throw new Error('the story page must hold the server\'s map before its lists (what its first paint waits for)');
  }
  await save(`/stories/${slug}/features/blocked-bridge`, 'deep.html');
  const story = await (await fetch(`${base}/api/stories/${slug}`)).json();
  const layers = [];
  for (const layer of story.layers) {
    await save(layer.url, `layers/${layer.id}.geojson`);
    layers.push(`/layers/${layer.id}.geojson`);
  }
  mkdirSync(path.join(floor, 'basemap'), { recursive: true });
  const basemap = readdirSync(path.join(site, 'basemap')).filter((f) => f.endsWith('.geojson'));
  for (const file of basemap) {
    copyFileSync(path.join(site, 'basemap', file), path.join(floor, 'basemap', file));
  }
  const assets = JSON.parse(readFileSync(path.join(site, 'assets.json'), 'utf8'));
  mkdirSync(path.join(floor, 'leaflet'), { recursive: true });
  copyFileSync(path.join(site, assets.leaflet_js), path.join(floor, 'leaflet/leaflet.js'));
  copyFileSync(path.join(site, assets.leaflet_css), path.join(floor, 'leaflet/leaflet.css'));
  // Leaflet's default marker, which the plain page's points are drawn with.
  cpSync(path.join(site, 'leaflet/images'), path.join(floor, 'leaflet/images'), { recursive: true });
  const template = readFileSync(new URL('./plain.html', import.meta.url), 'utf8');
  const basemapUrls = basemap.map((f) => `/basemap/${f}`);
  const urls = [...basemapUrls, ...layers];
  writeFileSync(path.join(floor, 'plain.html'), template.replace('/*LAYERS*/[]', JSON.stringify(urls)));
  await prepareArticle(floor, story, basemapUrls, template, save);
}

/**
 * `article.html`: kort's story page as kort serves it, with kort's start
 * script swapped for the plain page's map script and the bundle it would
 * load no longer asked for, beside every file the page asks for, as kort
 * serves it. Its time to map is what showing the article beside the map
 * costs a page whose map needs no framework; kort's own cost is what its
 * page takes beyond that.
 */
async function prepareArticle(floor, story, basemapUrls, template, save) {
  const page = readFileSync(path.join(floor, 'story.html'), 'utf8');
  const start = /<script type="module">[\s\S]*?<\/script>/;
  const leaflet = page.match(/<meta name="kort-leaflet" content="([^"]+)">/)?.[1];
  const script = template.match(/<script>\s*(const LAYERS[\s\S]*?)<\/script>/)?.[1];
  if (!start.test(page)) throw new Error('the story page has no start script (<script type="module">) to swap');
  if (!leaflet) throw new Error('the story page names no Leaflet script (<meta name="kort-leaflet">)');
  if (!script) throw new Error('bench/plain.html has no map script (<script> const LAYERS …) to swap in');
  // The same files as on the plain page, where kort serves them: Leaflet as
  // a deferred script and a module after it, where kort's start script ran
  // (kort's asks for Leaflet, its data and its bundle once the page is
  // painted; the floor asks for Leaflet while the page is parsed, as a
  // plain page does).
  const urls = [...basemapUrls, ...story.layers.map((layer) => layer.url)];
  const mapScript = script.replace('/*LAYERS*/[]', JSON.stringify(urls));
  const article = page.replace(
    start,
    () => `<script defer src="${leaflet}"></script><script type="module">${mapScript}</script>`,
  );
  writeFileSync(path.join(floor, 'article.html'), article);
  const asked = [...article.matchAll(/(?:href|src)="(\/[^"#?]*)"/g)].map((match) => match[1]);
  for (const url of new Set([...asked, ...urls])) {
    if (!existsSync(path.join(floor, url))) await save(url, url);
  }
}

/**
 * Loads `url` in `page` and resolves, once the page has made each of
 * `marks`, with their times from navigation, in the order asked. The page
 * reports them itself, through an observer set up before its own scripts
 * run and a binding. Asking from outside (Playwright's `waitForFunction`)
 * would run Playwright's injected script on the page's one thread while
 * it loads, which moved the plain page's mark by about 40 ms on this
 * project's machines and kort's by about 6 (BENCHMARKS.md).
 */
async function loadUntil(page, url, marks = [MARK]) {
  const seen = new Map();
  let reached;
  const all = new Promise((resolve) => {
    reached = resolve;
  });
  await page.exposeFunction('__benchMark', (name, time) => {
    seen.set(name, time);
    if (marks.every((mark) => seen.has(mark))) reached();
  });
  await page.addInitScript((marks) => {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (marks.includes(entry.name)) window.__benchMark(entry.name, entry.startTime);
      }
    }).observe({ type: 'mark' });
    // Paint timing: the first paint, and the first with content.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (marks.includes(entry.name)) window.__benchMark(entry.name, entry.startTime);
      }
    }).observe({ type: 'paint', buffered: true });
  }, marks);
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const missing = marks.filter((mark) => !seen.has(mark));
      reject(new Error(`${url}: no ${missing.join(', ')} within ${TIMEOUT} ms (seen: ${[...seen.keys()].join(', ') || 'none'})`));
    }, TIMEOUT);
  });
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await Promise.race([all, late]);
  } finally {
    clearTimeout(timer);
  }
  return marks.map((mark) => seen.get(mark));
}

/**
 * Navigation to each of `marks` (the map mark unless told), in a fresh
 * context (an empty cache): milliseconds, in the order asked.
 */
async function timeToMap(browser, url, marks = [MARK]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const times = await loadUntil(page, url, marks);
    if (errors.length) throw new Error(`${url}: ${errors.join('; ')}`);
    return times;
  } finally {
    await context.close();
  }
}

/**
 * What the renderer's main thread does from navigation to the map mark, in
 * one cold load under Chromium's tracing: milliseconds of each kind of
 * work (the self time of its trace events), and the busy total. The page
 * makes the mark on that thread, so its trace event names the thread.
 */
async function mainThread(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let tracing = false;
  try {
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    tracing = true;
    await loadUntil(page, url);
    tracing = false;
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
    return timeByKind(traceEvents);
  } finally {
    if (tracing) await browser.stopTracing();
    await context.close();
  }
}

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8',
  'v8.compile',
  'disabled-by-default-v8.compile',
  'v8.wasm',
  'disabled-by-default-v8.wasm.detailed',
];

/** Kinds of main-thread work, by trace event name; the first that matches. */
const KINDS = [
  ['wasm compilation', (name) => /^(v8\.)?wasm\./.test(name)],
  ['garbage collection', (name) => /GC|Scavenge/.test(name)],
  ['JS parse and compile', (name) => /^V8\.(Parse|PreParse|Compile)/.test(name)],
  ['HTML parse', (name) => name === 'ParseHTML' || name.startsWith('HTMLDocumentParser')],
  ['style and layout', (name) => name === 'UpdateLayoutTree' || name === 'Layout'],
  ['paint', (name) => ['PrePaint', 'Paint', 'Layerize', 'Commit'].includes(name)],
  [
    'script (JS and wasm)',
    (name) =>
      [
        'FunctionCall',
        'EvaluateScript',
        'RunMicrotasks',
        'BlinkScheduler_PerformMicrotaskCheckpoint',
        'FireAnimationFrame',
        'TimerFire',
        'EventDispatch',
      ].includes(name) ||
      name.startsWith('v8.') ||
      name.startsWith('V8.'),
  ],
];

const workOf = (name) => KINDS.find(([, matches]) => matches(name))?.[0] ?? 'other';

/** What `mainThread` reports, in its order: the busy total, then each kind. */
const THREAD_TIME = ['busy', ...KINDS.map(([kind]) => kind), 'other'];

/** `mainThread`'s figures from a trace (`THREAD_TIME`), up to the mark. */
function timeByKind(events) {
  const mark = events.find((event) => event.name === MARK);
  if (!mark) throw new Error(`the trace has no ${MARK} mark`);
  const spans = events
    .filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === 'X' && e.ts < mark.ts)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const ms = Object.fromEntries(THREAD_TIME.map((kind) => [kind, 0]));
  const open = [];
  for (const span of spans) {
    while (open.length && open.at(-1).ts + open.at(-1).dur <= span.ts) open.pop();
    const time = Math.min(span.dur ?? 0, mark.ts - span.ts) / 1000;
    const parent = open.at(-1);
    if (parent) ms[workOf(parent.name)] -= time;
    else ms.busy += time;
    ms[workOf(span.name)] += time;
    open.push(span);
  }
  return THREAD_TIME.map((kind) => ms[kind]);
}

/**
 * What a visit downloads, as sent (compressed), by kind of resource: the
 * first (`first`, nothing cached), and a later one in the same browser
 * (`repeat`, a new tab: what the cache holds is used as its headers allow).
 */
async function bytesOnTheWire(browser, url) {
  await asRead(url);
  const context = await browser.newContext();
  const visit = async () => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const urls = new Map();
    const sizes = {};
    cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
    cdp.on('Network.loadingFinished', (event) => {
      const kind = kindOf(urls.get(event.requestId) ?? '');
      sizes[kind] = (sizes[kind] ?? 0) + event.encodedDataLength;
    });
    await loadUntil(page, url);
    // Late responses (the basemap's place names) land within a moment.
    await page.waitForLoadState('networkidle');
    await page.close();
    return sizes;
  };
  const first = await visit();
  const repeat = await visit();
  await context.close();
  return { first, repeat };
}

/**
 * Makes `url` a page kort keeps as it keeps a story being read: a page sent
 * 32 times (`page_cache::HITS_FOR_STRONGEST`) is compressed again at the
 * strongest level, which is what every reader after those gets. Waits
 * until the page comes back at that size (a moment, off the request path).
 */
async function asRead(url) {
  // The size sent (fetch would hand over the body decompressed), in each
  // language a browser may ask in here (kort keeps a page per address and
  // language; headless Chromium may send no Accept-Language at all).
  for (const language of [undefined, 'en-US', 'en-US,en;q=0.9']) {
    const headers = { 'accept-encoding': 'br', ...(language ? { 'accept-language': language } : {}) };
    const size = async () => {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      return Number(response.headers.get('content-length') ?? Infinity);
    };
    for (let sent = 0; sent < 40; sent += 1) await size();
    const kept = await size();
    for (let tries = 0; tries < 50 && (await size()) >= kept; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function kindOf(url) {
  const { pathname } = new URL(url, 'http://x');
  if (pathname.endsWith('.wasm')) return 'wasm';
  if (pathname.endsWith('.js')) return 'js';
  if (pathname.endsWith('.css')) return 'css';
  if (pathname.startsWith('/basemap/')) return 'basemap';
  if (pathname.startsWith('/api/')) return 'story data';
  if (/\.(png|svg|jpg|gif|webp)$/.test(pathname)) return 'images';
  return 'html';
}

/**
 * The large story: time to map, then clicks on passages of the article,
 * each timed from the click to its feature's panel on screen.
 */
async function largeStory(browser, url, clicks) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    const [ready] = await loadUntil(page, url);
    const ids = await page.$$eval('a.passage', (links) => links.map((a) => a.dataset.features.split(' ')[0]));
    // Passages spread over the article (and so over the map and its layers).
    const step = Math.max(1, Math.floor(ids.length / clicks));
    const chosen = ids.map((id, index) => ({ id, index })).filter(({ index }) => index % step === 0).slice(0, clicks);
    if (chosen.length === 0) throw new Error(`${url}: the article has no passages to click`);
    const latencies = [];
    for (const { id, index } of chosen) {
      latencies.push(
        await page.evaluate(
          ([id, index]) =>
            new Promise((resolve, reject) => {
              const link = document.querySelectorAll('a.passage')[index];
              const start = performance.now();
              link.click();
              const check = () => {
                if (document.querySelector(`.panel[data-feature="${id}"]`)) {
                  resolve(performance.now() - start);
                } else if (performance.now() - start > 10_000) {
                  reject(new Error(`no panel for ${id}`));
                } else {
                  requestAnimationFrame(check);
                }
              };
              check();
            }),
          [id, index],
        ),
      );
    }
    return { ready_ms: ready, click_to_panel_ms: latencies };
  } finally {
    await context.close();
  }
}

async function measure(plan) {
  const browser = await launchBrowser();
  try {
    const kort = [];
    const plain = [];
    const article = [];
    // kort's page starts its other islands (the timeline, the share button)
    // once the map is drawn, and marks when all have started.
    const started = [];
    const visible = [];
    // Interleaved, so drift on a shared machine falls on both alike.
    for (let run = 0; run < plan.runs; run += 1) {
      const [map, page, seen] = await timeToMap(browser, plan.story_url, [MARK, PAGE_MARK, VISIBLE]);
      kort.push(map);
      started.push(page);
      visible.push(seen);
      plain.push(...(await timeToMap(browser, plan.plain_url)));
      article.push(...(await timeToMap(browser, plan.article_url)));
    }
    // Where each page's main thread spends its time, in a few more loads
    // under tracing (which slows them, so they are not timed above).
    const traced = { kort: [], plain: [] };
    for (let run = 0; run < plan.traced_runs; run += 1) {
      traced.kort.push(await mainThread(browser, plan.story_url));
      traced.plain.push(await mainThread(browser, plan.plain_url));
    }
    const large = [];
    for (let run = 0; run < plan.large_runs; run += 1) {
      large.push(await largeStory(browser, plan.large_url, plan.clicks));
    }
    return {
      time_to_map_ms: { kort, plain, article },
      map_visible_ms: visible,
      islands_started_ms: started,
      main_thread_ms: { kinds: THREAD_TIME, ...traced },
      bytes: await bytesOnTheWire(browser, plan.story_url),
      large: {
        ready_ms: large.map((run) => run.ready_ms),
        click_to_panel_ms: large.flatMap((run) => run.click_to_panel_ms),
      },
    };
  } finally {
    await browser.close();
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === 'prepare') {
  await prepare(...args);
} else if (command === 'large') {
  // One story alone (the million-event one): its loads and clicks.
  const [url, runs, clicks] = args;
  const browser = await launchBrowser();
  try {
    const large = [];
    for (let run = 0; run < Number(runs); run += 1) large.push(await largeStory(browser, url, Number(clicks)));
    const result = {
      ready_ms: large.map((run) => run.ready_ms),
      click_to_panel_ms: large.flatMap((run) => run.click_to_panel_ms),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close();
  }
} else if (command === 'measure') {
  const plan = JSON.parse(readFileSync(args[0], 'utf8'));
  process.stdout.write(`${JSON.stringify(await measure(plan))}\n`);
} else {
  console.error('usage: node bench/browser.mjs prepare <base> <site> <floor> <slug> | measure <plan.json> | large <url> <runs> <clicks>');
  process.exit(2);
}
