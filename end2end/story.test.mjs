// A reader on the story page: the map draws every feature, a click on the
// destroyed bridge shows its sources, a passage finds its feature.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';

import { ARTIFACTS, SEED, openPage, settled, useServerAndBrowser, waitForMap } from './support.mjs';

const shared = useServerAndBrowser();

test('the map draws every story feature', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  for (const id of ['arsal-enclave', 'convoy-route', 'convoy-route-blocked', 'road-craters', 'blocked-bridge', 'arsal', 'albu-kamal']) {
    assert.ok(await page.locator(`.map [data-feature="${id}"]`).count() > 0, `${id} is drawn on the map`);
  }
  // The offline basemap is drawn and credited.
  await page.waitForSelector('.basemap-borders');
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Natural Earth/);
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /GeoNames/);
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /GSHHG/);
  // Major rivers are named; place names carry Arabic, marked up right to left.
  for (const river of ['Euphrates', 'Orontes', 'Litani']) {
    await page.locator('.river-label', { hasText: river }).waitFor({ state: 'attached' });
  }
  const arabic = page.locator('.basemap-label .label-ar[lang="ar"][dir="rtl"]').first();
  await arabic.waitFor({ state: 'attached' });
  assert.match(await arabic.textContent(), /[\u0600-\u06FF]/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'story-desktop.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

const DEVICES = [['a desktop', { width: 1280, height: 800 }], ['a phone', { width: 412, height: 823 }]];

/** The story page at `viewport`, once its map is drawn to the last of the basemap (the place names). */
async function openWholeMap(viewport) {
  const opened = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, { viewport });
  await waitForMap(opened.page);
  await opened.page.locator('.basemap-place').first().waitFor({ state: 'attached' });
  return opened;
}

for (const [device, viewport] of DEVICES) {
  test(`nothing on the page moves as it comes alive, on ${device}`, async () => {
    const { context, page, problems } = await openWholeMap(viewport);
    // Every layout shift since navigation, by what moved. (Leaflet moves its
    // panes by transforms, which are not layout shifts.)
    const moved = await page.evaluate(() => new Promise((resolve) => {
      const describe = (entries) => entries
        .flatMap((shift) => shift.sources)
        .map((source) => (source.node?.nodeType === 1 ? source.node : source.node?.parentElement))
        .map((element) => `${element?.nodeName.toLowerCase()}${element?.id ? `#${element.id}` : ''}.${element?.className}`);
      new PerformanceObserver((list, observer) => {
        observer.disconnect();
        resolve(describe(list.getEntries()));
      }).observe({ type: 'layout-shift', buffered: true });
      // No shift at all: the observer is never called.
      setTimeout(() => resolve([]), 500);
    }));
    assert.deepEqual(moved, []);
    // The controls that need JavaScript were there from the start (the
    // slider only where the timeline is not compact).
    assert.ok(await page.locator('.share').isVisible());
    assert.ok(await page.locator('.tl-controls button[aria-pressed]').isVisible());
    if (viewport.width > 1000) assert.ok(await page.locator('.tl-scrub input').isVisible());
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/**
 * The names on the map a reader sees, and the story's point symbols, once
 * the map has settled (see `settled`).
 */
function namesOnMap(page) {
  return settled(page, () => {
    const box = (element) => {
      const r = element.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const names = [...document.querySelectorAll('.leaflet-marker-icon.place-label, .leaflet-marker-icon.basemap-label')]
      .filter((icon) => getComputedStyle(icon).visibility !== 'hidden')
      .map((icon) => ({ text: icon.textContent, story: icon.classList.contains('place-label'), box: box(icon.firstElementChild) }));
    const symbols = [...document.querySelectorAll('.leaflet-marker-icon.story-feature')]
      .map((icon) => ({ text: icon.getAttribute('aria-label'), box: box(icon.firstElementChild ?? icon) }));
    return { names, symbols };
  });
}

function overprints({ names, symbols }) {
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const found = [];
  names.forEach((a, i) => names.slice(i + 1).forEach((b) => {
    if (overlap(a.box, b.box)) found.push(`${a.text} / ${b.text}`);
  }));
  for (const name of names.filter((n) => !n.story)) {
    for (const symbol of symbols) if (overlap(name.box, symbol.box)) found.push(`${name.text} / ${symbol.text}`);
  }
  return found;
}

for (const [device, viewport] of DEVICES) {
  test(`names on the map never print over one another, on ${device}`, async () => {
    const { context, page, problems } = await openWholeMap(viewport);
    const opening = await namesOnMap(page);
    assert.deepEqual(overprints(opening), []);
    // Towns are still named (the biggest win where names collide): on a
    // phone the story's names crowd Damascus out, not every town.
    const towns = opening.names.filter((name) => !name.story && /[\u0600-\u06ff]/.test(name.text));
    assert.ok(towns.length >= 2, `towns named: ${towns.map((name) => name.text)}`);
    if (viewport.width > 1000) assert.ok(towns.some((name) => /Damascus/.test(name.text)), 'Damascus is named');
    if (viewport.width > 1000) {
      // With room to spare, every place of the story is named.
      const story = opening.names.filter((name) => name.story).map((name) => name.text).sort();
      assert.deepEqual(story, ['Albu Kamal', 'Arsal', 'Humaymah (estimated)', 'Qara', 'The convoy splits (estimated)', 'al-Mayadin']);
    }
    // A zoom in sorts them out again.
    await page.locator('.leaflet-control-zoom-in').click();
    // The map has settled once it writes the reader's view to the address.
    await page.waitForURL(/[?&]view=/);
    const closer = await namesOnMap(page);
    assert.deepEqual(overprints(closer), []);
    assert.ok(closer.names.some((name) => name.story), 'the story still names its places');
    await page.screenshot({ path: path.join(ARTIFACTS, `names-${viewport.width}.png`) });
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('after a pan, the names by the edge of the map move to a side that keeps them on it', async () => {
  const { context, page, problems } = await openWholeMap({ width: 1280, height: 800 });
  await namesOnMap(page);
  const map = await page.locator('.map').boundingBox();
  const label = (name) => page.locator('.leaflet-marker-icon.place-label', { hasText: name });
  assert.doesNotMatch(await label('al-Mayadin').getAttribute('class'), /\blabel-(left|above|below|hidden)\b/, 'al-Mayadin is named on the right at first');
  // Drag the map east until Albu Kamal, the story's eastmost place, is 30 px
  // from the map's right edge, and al-Mayadin a little further in: no room
  // for their names on the right.
  const point = await label('Albu Kamal').boundingBox();
  const from = { x: map.x + map.width / 2, y: map.y + map.height / 2 };
  const by = map.x + map.width - 30 - point.x;
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + by, from.y, { steps: 10 });
  // Held a moment before letting go, so the map does not glide on.
  await page.waitForTimeout(300);
  await page.mouse.up();
  await page.waitForURL(/[?&]view=/);
  const settled = await namesOnMap(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'names-panned.png') });
  const moved = await label('Albu Kamal').boundingBox();
  assert.ok(Math.abs(moved.x - (map.x + map.width - 30)) < 10, `Albu Kamal is by the right edge (${moved.x})`);
  // Every story name shown is wholly on the map, none cut off by its edge.
  const story = settled.names.filter((name) => name.story);
  for (const { text, box } of story) {
    assert.ok(box.left >= map.x && box.right <= map.x + map.width, `${text} is wholly on the map`);
  }
  assert.ok(story.some((name) => name.text === 'al-Mayadin'), 'al-Mayadin is still named');
  assert.match(await label('al-Mayadin').getAttribute('class'), /label-(left|above|below)/);
  assert.deepEqual(overprints(settled), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a place whose name is left out for want of room names itself on hover and on focus', async () => {
  const { context, page, problems } = await openWholeMap({ width: 412, height: 823 });
  await namesOnMap(page);
  const tooltip = page.locator('.leaflet-tooltip');
  // On a phone's opening view some story names give way.
  const unnamed = await page.locator('.place-label.label-hidden [data-names]').first().getAttribute('data-names');
  const title = await page.locator(`.map path[data-feature="${unnamed}"]`).getAttribute('aria-label');
  await page.locator(`.map path[data-feature="${unnamed}"]`).dispatchEvent('mouseover');
  await tooltip.waitFor();
  assert.equal(await tooltip.innerText(), title);
  await page.locator(`.map path[data-feature="${unnamed}"]`).dispatchEvent('mouseout');
  await tooltip.waitFor({ state: 'detached' });
  // The keyboard reaches the place and hears its name as well.
  await page.locator(`.map path[data-feature="${unnamed}"]`).focus();
  await tooltip.waitFor();
  assert.equal(await tooltip.innerText(), title);
  await page.locator(`.map path[data-feature="${unnamed}"]`).blur();
  await tooltip.waitFor({ state: 'detached' });
  // A place named on the map is not named twice, by the mouse or the keyboard.
  const named = await page.locator('.place-label:not(.label-hidden) [data-names]').first().getAttribute('data-names');
  await page.locator(`.map path[data-feature="${named}"]`).dispatchEvent('mouseover');
  assert.equal(await tooltip.count(), 0);
  await page.locator(`.map path[data-feature="${named}"]`).dispatchEvent('mouseout');
  await page.locator(`.map path[data-feature="${named}"]`).focus();
  assert.equal(await tooltip.count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('clicking the destroyed bridge shows its passage and the AFP source', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  await page.locator('.map [data-feature="blocked-bridge"]').click();
  await page.waitForURL(`**/stories/${SEED}/features/blocked-bridge`);
  const panel = page.locator('.panel');
  await panel.waitFor();
  assert.equal(await panel.locator('h2').innerText(), 'Destroyed bridge east of Humaymah');
  const text = await panel.innerText();
  assert.match(text, /Approximate position, ± 25 km/);
  assert.match(text, /AFP/);
  assert.match(text, /Col\. Ryan Dillon/);
  assert.match(text, /ødelagt en lille bro/);
  // The bridge is highlighted on the map and its passage in the article.
  assert.ok(await page.locator('.map [data-feature="blocked-bridge"].selected').count() > 0);
  assert.match(await page.locator('.article .passage.selected').first().innerText(), /ødelagt en lille bro/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'story-bridge-selected.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a Danish reader reads the story's own words in Danish, on the map as in the panel", async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    viewport: { width: 1280, height: 800 },
    locale: 'da-DK',
  });
  await waitForMap(page);
  // Leaflet's names and the features' names for assistive technology come
  // from the page's Danish, not the layer files' English.
  const names = await settled(page, () =>
    [...document.querySelectorAll('.map .leaflet-marker-icon.place-label')].map((name) => name.textContent),
  );
  assert.ok(names.includes('Humaymah (anslået)'), `${names}`);
  assert.ok(!names.includes('Humaymah (estimated)'), `${names}`);
  assert.match(await page.locator('.map [data-feature="blocked-bridge"]').first().getAttribute('aria-label'), /Ødelagt bro øst for Humaymah/);
  await page.locator('.map [data-feature="blocked-bridge"]').first().click();
  await page.waitForURL(`**/stories/${SEED}/features/blocked-bridge`);
  const panel = page.locator('.panel');
  assert.equal(await panel.locator('h2').innerText(), 'Ødelagt bro øst for Humaymah');
  assert.equal(await panel.locator('h2').getAttribute('lang'), 'da');
  assert.equal(await panel.locator('.panel-layer').innerText(), 'Koalitionens luftangreb');
  assert.match(await panel.locator('.note').innerText(), /^Anslået: ca\. 3 km øst for Humaymah/);
  assert.match(await panel.innerText(), /Syrisk Observatorium for Menneskerettigheder/);
  assert.ok(await page.locator('.layer-control label', { hasText: 'Koalitionens luftangreb' }).count() > 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('clicking a passage selects its feature; Escape clears it', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  await page.locator('.article a.passage', { hasText: 'skabt kratre på vejen' }).click();
  await page.waitForURL(`**/stories/${SEED}/features/road-craters`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Cratered road east of Humaymah');
  assert.ok(await page.locator('.map [data-feature="road-craters"].selected').count() > 0);
  await page.keyboard.press('Escape');
  await page.waitForURL(`**/stories/${SEED}`);
  assert.equal(await page.locator('.panel').count(), 0);
  await context.close();
});

test('only the map runs in the browser: the story list loads no WebAssembly or Leaflet, a passage click reloads nothing', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/`, {
    viewport: { width: 1280, height: 800 },
  });
  const asked = [];
  page.on('request', (request) => asked.push(new URL(request.url()).pathname));
  await page.goto(`${shared.server.base}/`);
  await page.waitForLoadState('load');
  assert.deepEqual(
    asked.filter((url) => /\.wasm$|\/pkg\/kort\.[0-9a-f]+\.js$|\/leaflet\//.test(url)),
    [],
    'no bundle and no Leaflet on the story list',
  );

  await page.goto(`${shared.server.base}/stories/${SEED}?layers=areas,route,strikes`);
  await waitForMap(page);
  assert.ok(asked.some((url) => url.endsWith('.wasm')), 'the story page loads the bundle');
  await page.evaluate(() => { window.stillHere = true; });
  await page.locator('#article a.passage[data-feature="blocked-bridge"]').click();
  await page.waitForURL('**/features/blocked-bridge?layers=areas,route,strikes');
  assert.equal(await page.evaluate(() => window.stillHere), true, 'the page was not loaded again');
  // The server's HTML follows the selection and keeps the reader's layers in its links.
  assert.deepEqual(
    await page.evaluate(() => [...document.querySelectorAll('#article a.passage.selected')].map((a) => a.dataset.feature)),
    ['blocked-bridge'],
  );
  assert.equal(
    await page.locator('.feature-list a[aria-current="page"]').getAttribute('href'),
    `/stories/${SEED}/features/blocked-bridge?layers=areas,route,strikes`,
  );
  assert.match(await page.title(), /^Destroyed bridge east of Humaymah — /);
  assert.equal(await page.locator('.feature-list section[data-layer="places"]').getAttribute('data-hidden'), 'true');
  assert.ok(await page.locator('.feature-list section[data-layer="places"] .layer-hidden').isVisible());
  assert.ok(!(await page.locator('.feature-list section[data-layer="strikes"] .layer-hidden').isVisible()));
  // Another language is the server's to render: the link loads the page.
  await page.locator('.language-switch a[data-lang="en"]').click();
  await page.waitForURL(`**/features/blocked-bridge?layers=areas,route,strikes&lang=en`);
  await waitForMap(page);
  assert.equal(await page.evaluate(() => window.stillHere), undefined, 'a new page');
  assert.equal(await page.locator('.panel h2').innerText(), 'Destroyed bridge east of Humaymah');
  assert.deepEqual(problems, []);
  await context.close();
});
