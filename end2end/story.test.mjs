// A reader on the story page: the map draws every feature, a click on the
// destroyed bridge shows its sources, a passage finds its feature.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';

import { ARTIFACTS, SEED, openPage, useServerAndBrowser, waitForMap } from './support.mjs';

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
