// A story too large to draw whole (`kort gen-story`): the map draws the part
// in view on one canvas, clustered, and every feature can still be reached:
// by a passage, by a deep link (the panel comes from the server, the map
// brings the feature into view unless the link names its view), and a deep
// link to a feature that does not exist is a 404.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { ARTIFACTS, axeViolations, openPage, useServerAndBrowser, waitForMap } from './support.mjs';

const SLUG = 'large';
const stories = mkdtempSync(path.join(tmpdir(), 'kort-large-'));
execFileSync('target/release/kort', [
  'gen-story', '--data', stories, '--slug', SLUG, '--events', '5000', '--lines', '1000',
]);
const shared = useServerAndBrowser({ KORT_DATA: stories });

test('a large layer is drawn clustered on a canvas, not as 5,000 shapes', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SLUG}`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  // Every fetch since navigation (a listener added now could miss the first).
  const requests = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(await page.locator('.map canvas').count() > 0, 'the layers are drawn on a canvas');
  assert.equal(await page.locator('.map .story-feature').count(), 0, 'no SVG shape per feature');
  // The events layer was asked for by viewport, and answered with clusters.
  const asked = requests.find((url) => url.includes('/layers/events.geojson?bbox='));
  assert.ok(asked, `a viewport request: ${requests.join(' ')}`);
  const answer = await (await fetch(asked.replace(/^http:\/\/[^/]+/, shared.server.base))).json();
  const clusters = answer.features.filter((f) => f.properties.cluster);
  assert.ok(clusters.length > 0, 'clusters at the opening zoom');
  const counted = answer.features.reduce((sum, f) => sum + (f.properties.cluster ? f.properties.count : 1), 0);
  assert.equal(counted, answer.kort_in_view);
  // The page lists what the article mentions, not all 6,000 features.
  assert.ok(await page.locator('.feature-list li').count() < 300);
  await page.screenshot({ path: path.join(ARTIFACTS, 'large-story.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a passage opens its feature, and a feature the page does not list opens from a deep link', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SLUG}`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  await page.locator('a.passage', { hasText: 'Incident E-00100' }).click();
  await page.waitForURL(`**/stories/${SLUG}/features/e-00100`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Incident E-00100');
  await context.close();

  // e-00007 is not mentioned by the article, so not on the page's list.
  const deep = await openPage(shared.browser, `${shared.server.base}/stories/${SLUG}/features/e-00007`);
  assert.equal(await deep.page.locator('.panel h2').innerText(), 'Incident E-00007');
  await waitForMap(deep.page);
  assert.equal(await deep.page.locator('.panel h2').innerText(), 'Incident E-00007');
  assert.deepEqual([...problems, ...deep.problems], []);
  await deep.context.close();
});

test('a deep link brings a large layer\'s feature into view beside the panel, unless it names its view', async () => {
  const answer = await (await fetch(`${shared.server.base}/api/stories/${SLUG}/layers/events.geojson?id=e-00007`)).json();
  const [lon, lat] = answer.features[0].geometry.coordinates;
  const highlight = '.leaflet-kort-large-selected-pane path';
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const inside = (a, b) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SLUG}/features/e-00007`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  await page.locator(highlight).waitFor({ state: 'attached' });
  const map = await page.locator('.map').boundingBox();
  const panel = await page.locator('.panel').boundingBox();
  let shown;
  for (let tries = 0; tries < 40; tries += 1) {
    shown = await page.locator(highlight).boundingBox();
    if (shown && inside(shown, map) && !overlap(shown, panel)) break;
    await page.waitForTimeout(50);
  }
  assert.ok(inside(shown, map), `on the map: ${JSON.stringify({ shown, map })}`);
  assert.ok(!overlap(shown, panel), `clear of the panel: ${JSON.stringify({ shown, panel })}`);
  await context.close();

  // A link that names its view opens there: the feature stays off screen.
  const view = `9/${(lat > 34.8 ? lat - 2 : lat + 2).toFixed(4)}/${lon.toFixed(4)}`;
  const link = `${shared.server.base}/stories/${SLUG}/features/e-00007?view=${view}`;
  const held = await openPage(shared.browser, link, { viewport: { width: 1280, height: 800 } });
  await waitForMap(held.page);
  await held.page.locator(highlight).waitFor({ state: 'attached' });
  await held.page.waitForTimeout(300);
  // Leaflet draws a point outside the view as an empty path, `M0 0`.
  const drawn = await held.page.locator(highlight).getAttribute('d');
  const away = await held.page.locator(highlight).boundingBox();
  const heldMap = await held.page.locator('.map').boundingBox();
  assert.ok(drawn === 'M0 0' || !overlap(away, heldMap), `the view is held: ${JSON.stringify({ drawn, away, heldMap })}`);
  assert.equal(await held.page.locator('.panel h2').innerText(), 'Incident E-00007');
  assert.equal(held.page.url(), link, 'opening the link does not rewrite it');
  assert.deepEqual([...problems, ...held.problems], []);
  await held.context.close();
});

test('the list pages through every feature of a large layer, and each opens', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SLUG}`, {
    viewport: { width: 1280, height: 800 },
    // axe is injected as an inline script, which the page's policy refuses.
    bypassCSP: true,
  });
  await waitForMap(page);
  const events = page.locator('.feature-list section[data-layer="events"]');
  assert.match(await events.locator('.layer-more').innerText(), /mentions 50 of these 5,000/);
  await events.locator('.layer-pages summary', { hasText: 'Browse all 5,000' }).click();
  const pages = events.locator('.layer-pages');
  await pages.locator('li a', { hasText: 'Incident E-00099' }).waitFor();
  assert.equal(await pages.locator('li').count(), 100);
  assert.match(await pages.locator('.pager').innerText(), /Page 1 of 50/);
  await pages.locator('button', { hasText: 'Next page' }).click();
  await pages.locator('li a', { hasText: 'Incident E-00199' }).waitFor();
  assert.match(await pages.locator('.pager').innerText(), /Page 2 of 50/);
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], violations.join('\n'));
  await pages.locator('li a', { hasText: 'Incident E-00123' }).click();
  await page.waitForURL(`**/stories/${SLUG}/features/e-00123`);
  await page.locator('.panel h2', { hasText: 'Incident E-00123' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a deep link to a feature the large story does not have is a 404 that says so', async () => {
  const response = await fetch(`${shared.server.base}/stories/${SLUG}/features/e-99999`);
  assert.equal(response.status, 404);
  assert.match(await response.text(), /e-99999/);
});
