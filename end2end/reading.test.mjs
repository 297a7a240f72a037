// The reading experience: text ⇄ map ⇄ sources, layers in the URL, history,
// keyboard, small screens, and optional raster tiles.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import path from 'node:path';

import { ARTIFACTS, SEED, openPage, startServer, useServerAndBrowser, waitForMap } from './support.mjs';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const shared = useServerAndBrowser();

const onMap = (page, id) => page.locator(`.map [data-feature="${id}"]`).count();

test('clicking the passage about the small bridge selects the bridge', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  await page.locator('.article a.passage', { hasText: 'ødelagt en lille bro' }).click();
  await page.waitForURL(`**/stories/${SEED}/features/blocked-bridge`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Destroyed bridge east of Humaymah');
  assert.ok((await page.locator('.map [data-feature="blocked-bridge"].selected').count()) > 0, 'highlighted on the map');
  // The panel's passage link scrolls the article back to the passage.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.locator('.panel .passages a').first().click();
  await page.waitForFunction(() => location.hash === '#q-blocked-bridge-1');
  const inView = await page.locator('#q-blocked-bridge-1').evaluate((el) => {
    // The anchor is aligned to the top edge: the passage must be on screen.
    const box = el.parentElement.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  });
  assert.ok(inView, 'the passage is scrolled into view');
  assert.deepEqual(problems, []);
  await context.close();
});

test('hovering a feature shows its title', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  await page.locator('.map [data-feature="albu-kamal"]').hover();
  // Places are labelled; the label names the place.
  assert.match(await page.locator('.place-label', { hasText: 'Albu Kamal' }).innerText(), /Albu Kamal/);
  await page.locator('.map [data-feature="blocked-bridge"]').hover();
  const tooltip = page.locator('.leaflet-tooltip:not(.place-label):not(.basemap-label)');
  await tooltip.waitFor();
  assert.equal(await tooltip.innerText(), 'Destroyed bridge east of Humaymah');
  await context.close();
});

test('toggling a layer off removes its features and says so in the URL', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  assert.ok((await onMap(page, 'blocked-bridge')) > 0);
  await page.locator('.layer-control summary').click();
  await page.getByLabel('Coalition strikes').uncheck();
  await page.waitForURL(`**/stories/${SEED}?layers=areas,route,blocked,places`);
  assert.equal(await onMap(page, 'blocked-bridge'), 0, 'the bridge is gone');
  assert.equal(await onMap(page, 'road-craters'), 0, 'the craters are gone');
  assert.ok((await onMap(page, 'convoy-route')) > 0, 'other layers stay');
  assert.equal(await page.locator('.feature-list [data-layer="strikes"]').getAttribute('data-hidden'), 'true');
  // A selection keeps the layer choice.
  await page.locator('.feature-list a[data-feature="arsal"]').click();
  await page.waitForURL(`**/stories/${SEED}/features/arsal?layers=areas,route,blocked,places`);
  // The same link, opened afresh, is rendered in the same state.
  const fresh = await openPage(shared.browser, page.url(), DESKTOP);
  await waitForMap(fresh.page);
  assert.equal(await onMap(fresh.page, 'blocked-bridge'), 0);
  assert.equal(await fresh.page.locator('.panel h2').innerText(), 'Arsal');
  assert.equal(await fresh.page.locator('.layer-control input[value="strikes"]').isChecked(), false);
  await fresh.context.close();
  // The control closed as the reader turned to the list: opened again.
  await page.locator('.layer-control summary').click();
  await page.getByLabel('Coalition strikes').check();
  await page.waitForURL(`**/stories/${SEED}/features/arsal`);
  assert.ok((await onMap(page, 'blocked-bridge')) > 0, 'the bridge is back');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Back and Forward walk through selections', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  await page.locator('.feature-list a[data-feature="arsal"]').click();
  await page.waitForURL(`**/features/arsal`);
  // The map has flown to Arsal; the bridge is far off screen, so pick it from the list.
  await page.locator('.feature-list a[data-feature="blocked-bridge"]').click();
  await page.waitForURL(`**/features/blocked-bridge`);
  await page.goBack();
  await page.waitForURL(`**/features/arsal`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Arsal');
  assert.ok((await page.locator('.map [data-feature="arsal"].selected').count()) > 0);
  assert.equal(await page.locator('.map [data-feature="blocked-bridge"].selected').count(), 0);
  await page.goForward();
  await page.waitForURL(`**/features/blocked-bridge`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Destroyed bridge east of Humaymah');
  await context.close();
});

test('keyboard only: Tab to a feature, Enter selects it, Escape clears it', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  let focused = '';
  for (let i = 0; i < 120 && focused !== 'albu-kamal'; i += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.closest('.feature-list') ? el.getAttribute('data-feature') : '';
    });
  }
  assert.equal(focused, 'albu-kamal', 'Tab reaches the feature list');
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/features/albu-kamal`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Albu Kamal');
  await page.keyboard.press('Escape');
  await page.waitForURL(`**/stories/${SEED}`);
  assert.equal(await page.locator('.panel').count(), 0);
  await context.close();
});

test('a 360×740 screen has no horizontal scroll; screenshots of both layouts', async () => {
  for (const [name, viewport] of [
    ['mobile', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ]) {
    const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}/features/blocked-bridge`, {
      viewport,
    });
    await waitForMap(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name}: no horizontal scroll`);
    await page.screenshot({ path: path.join(ARTIFACTS, `layout-${name}.png`) });
    await context.close();
  }
});

test('configured raster tiles are drawn under the story, credited', async () => {
  // A stand-in tile server on loopback: every tile is the same 1×1 PNG.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  let requests = 0;
  const tiles = http.createServer((request, response) => {
    requests += 1;
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(png);
  });
  await new Promise((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  const tileUrl = `http://127.0.0.1:${tiles.address().port}/tiles/{z}/{x}/{y}.png`;
  const online = await startServer({ KORT_TILE_URL: tileUrl, KORT_TILE_ATTRIBUTION: 'Test tiles' });
  try {
    const { context, page } = await openPage(shared.browser, `${online.base}/stories/${SEED}`, DESKTOP);
    await waitForMap(page);
    await page.waitForSelector('.leaflet-tile-loaded');
    assert.ok(requests > 0, 'tiles were requested');
    assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Test tiles/);
    assert.equal(await page.locator('.basemap-borders').count(), 0, 'no offline basemap under the tiles');
    assert.ok((await onMap(page, 'blocked-bridge')) > 0, 'story layers on top');
    await context.close();
  } finally {
    await online.stop();
    tiles.close();
  }
});
