// Sharing: what a shared link shows without JavaScript, and the embed an
// editor puts in another site's page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';

import { ARTIFACTS, SEED, openPage, useServerAndBrowser, waitForMap } from './support.mjs';

const shared = useServerAndBrowser();

test('a deep link with JavaScript off shows the feature, its passage and the layer state', async () => {
  const url = `${shared.server.base}/stories/${SEED}/features/blocked-bridge?layers=route,strikes`;
  const { context, page } = await openPage(shared.browser, url, { javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  assert.equal(await page.locator('.panel h2').innerText(), 'Destroyed bridge east of Humaymah');
  assert.match(await page.locator('.panel').innerText(), /Col\. Ryan Dillon/);
  assert.match(await page.locator('.article .passage.selected').first().innerText(), /ødelagt en lille bro/);
  assert.equal(await page.locator('.layer-control input[value="strikes"]').isChecked(), true);
  assert.equal(await page.locator('.layer-control input[value="areas"]').isChecked(), false);
  assert.equal(await page.locator('.feature-list [data-layer="areas"]').getAttribute('data-hidden'), 'true');
  // Links keep the layer choice, so the reader can move on without JavaScript.
  assert.equal(
    await page.locator('.feature-list a[data-feature="arsal"]').getAttribute('href'),
    `/stories/${SEED}/features/arsal?layers=route,strikes`,
  );
  // Controls that would do nothing without JavaScript are not offered.
  for (const control of ['.share', '.tl-controls button', '.tl-scrub']) {
    assert.equal(await page.locator(control).first().isVisible(), false, `${control} is hidden`);
  }
  assert.ok(await page.locator('.tl-controls a', { hasText: /Next|Næste/ }).isVisible(), 'links still step in time');
  // The map says it needs JavaScript, and not that it is loading.
  assert.ok(await page.locator('.map-noscript').isVisible());
  assert.equal(await page.locator('.map-loading').isVisible(), false);
  await page.screenshot({ path: path.join(ARTIFACTS, 'deep-link-no-js.png') });
  await context.close();
});

test('the embed works in a 300×300 frame', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/embed/stories/${SEED}/features/blocked-bridge`, {
    viewport: { width: 300, height: 300 },
  });
  await waitForMap(page);
  assert.equal(await page.locator('.site-header').count(), 0, 'no site chrome');
  assert.ok((await page.locator('.map [data-feature="blocked-bridge"].selected').count()) > 0);
  assert.equal(await page.locator('.panel h2').innerText(), 'Destroyed bridge east of Humaymah');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scroll');
  // Selecting inside the embed stays inside the embed.
  await page.locator('.panel-close').click();
  await page.waitForURL(`**/embed/stories/${SEED}`);
  await page.locator('.map [data-feature="arsal"]').click();
  await page.waitForURL(`**/embed/stories/${SEED}/features/arsal`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-300.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a shared link opens on the same selection and the same view', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}/features/blocked-bridge`, {
    viewport: { width: 1280, height: 800 },
  });
  await waitForMap(page);
  // The reader drags the map a little; the URL records the view.
  const map = await page.locator('.map').boundingBox();
  await page.mouse.move(map.x + map.width - 120, map.y + map.height - 120);
  await page.mouse.down();
  await page.mouse.move(map.x + map.width - 220, map.y + map.height - 170, { steps: 8 });
  await page.mouse.up();
  await page.waitForURL(/[?&]view=\d+(\.\d+)?\/-?\d+\.\d{4}\/-?\d+\.\d{4}$/);
  const link = page.url();
  assert.ok(link.includes(`/stories/${SEED}/features/blocked-bridge?view=`), link);
  const where = await page.locator('.map [data-feature="blocked-bridge"]').boundingBox();

  const fresh = await openPage(shared.browser, link, { viewport: { width: 1280, height: 800 } });
  await waitForMap(fresh.page);
  assert.equal(await fresh.page.locator('.panel h2').innerText(), 'Destroyed bridge east of Humaymah');
  const there = await fresh.page.locator('.map [data-feature="blocked-bridge"]').boundingBox();
  assert.ok(Math.abs(there.x - where.x) < 3 && Math.abs(there.y - where.y) < 3, `${JSON.stringify(where)} vs ${JSON.stringify(there)}`);
  assert.equal(fresh.page.url(), link, 'opening the link does not rewrite it');
  await fresh.context.close();
  await context.close();
});

test('Share copies the link and says so', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}/features/arsal`, {
    viewport: { width: 1280, height: 800 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.base });
  await waitForMap(page);
  await page.getByRole('button', { name: 'Share this view' }).click();
  // What the status line said, read the moment it said it.
  const said = await (
    await page.waitForFunction(() => document.querySelector('.share-status')?.textContent.trim() || null)
  ).jsonValue();
  if (said === 'Shared.') return; // A browser with the Web Share API shared it instead.
  assert.equal(said, 'Link copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  await context.close();
});

test('a malformed view falls back to the story view', async () => {
  for (const view of ['99/999/1', 'abc', '7/34.5']) {
    const { context, page, problems } = await openPage(
      shared.browser,
      `${shared.server.base}/stories/${SEED}?view=${encodeURIComponent(view)}`,
      { viewport: { width: 1280, height: 800 } },
    );
    await waitForMap(page);
    assert.ok(await page.locator('.map [data-feature="blocked-bridge"]').isVisible(), view);
    assert.ok(await page.locator('.map [data-feature="arsal"]').isVisible(), view);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
