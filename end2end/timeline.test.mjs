// Time: the timeline under the map, stepping and playing through the
// story's events, dragging the date, and a shared link with a date.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';

import { ARTIFACTS, SEED, openPage, useServerAndBrowser, waitForMap, waitForPage } from './support.mjs';

const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'en-GB' };
const shared = useServerAndBrowser();

/** The story features drawn on the map, by id. */
const onMap = (page) =>
  page.evaluate(() => [...new Set([...document.querySelectorAll('.map [data-feature]')].map((e) => e.dataset.feature))]);

test('a shared link with a date shows the map as it was that day', async () => {
  const url = `${shared.server.base}/stories/${SEED}?at=2017-08-29`;
  const { context, page, problems } = await openPage(shared.browser, url, DESKTOP);
  await waitForMap(page);
  const drawn = await onMap(page);
  for (const id of ['convoy-route', 'humaymah', 'qara', 'albu-kamal']) {
    assert.ok(drawn.includes(id), `${id} had happened (or is a place): ${drawn}`);
  }
  for (const id of ['blocked-bridge', 'road-craters', 'convoy-loop', 'stranded-area']) {
    assert.ok(!drawn.includes(id), `${id} had not happened by 29 August: ${drawn}`);
  }
  assert.equal(
    await page.locator('.tl-status').innerText(),
    'The map shows what had happened by 29 August 2017.',
  );
  // The list says what is not on the map yet; later developments are marked.
  assert.match(await page.locator('.feature-list li[data-not-yet]', { hasText: 'Destroyed bridge' }).innerText(), /not yet happened/);
  assert.match(await page.locator('.feature-list li', { hasText: 'al-Mayadin' }).innerText(), /after the article/);
  assert.ok((await page.locator('.tl-mark.later[data-event="al-mayadin"]').count()) === 1, 'hollow mark after the article');
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-29-august.png') });

  // "Show the whole story" clears the date and brings everything back.
  await page.locator('.tl-controls a', { hasText: 'Show the whole story' }).click();
  await page.waitForURL(`**/stories/${SEED}`);
  await page.waitForFunction(() => document.querySelector('.map [data-feature="blocked-bridge"]'));
  assert.equal(await page.locator('.tl-status').innerText(), 'The map shows the whole story.');
  assert.deepEqual(problems, []);
  await context.close();
});

test('stepping through the timeline selects each event in order and keeps the date in the URL', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  const next = page.locator('.tl-controls a', { hasText: 'Next' });
  // Before a step, the line under the axis says how to read the marks.
  assert.equal(await page.locator('.tl-current').innerText(), 'Tap or click a mark to see what happened');
  // The first event of the story is the 2014 capture of soldiers in Arsal.
  await next.click();
  await page.waitForURL(`**/stories/${SEED}/features/arsal?at=2014-08-02`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Arsal');
  // The mark the reader is at is named in words, with its date.
  assert.equal(await page.locator('.tl-current').innerText(), 'Arsal, 2–7 August 2014');
  // Keyboard: Enter on the focused link steps on.
  await next.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/features/enclave-before-offensive?at=2017-08-19`);
  await next.click();
  await page.waitForURL(`**/features/arsal-enclave?at=2017-08-27`);
  // The buses gathered at Qara, then the convoy left.
  await next.click();
  await page.waitForURL(`**/features/qara?at=2017-08-28`);
  await next.click();
  await page.waitForURL(`**/features/convoy-route?at=2017-08-28`);
  assert.equal(await page.locator('.panel h2').innerText(), 'Convoy route from the Qara outskirts to Humaymah');
  // Humaymah (29 August) leaves the map on the 28th.
  await page.waitForFunction(() => !document.querySelector('.map [data-feature="humaymah"]'));
  assert.equal(await page.locator('.tl-mark.current').getAttribute('data-event'), 'convoy-route');
  // Back one step.
  await page.locator('.tl-controls a', { hasText: 'Previous' }).click();
  await page.waitForURL(`**/features/qara?at=2017-08-28`);
  // Clicking a mark goes straight to its event (the mouse's way; the
  // keyboard's is the controls above).
  await page.locator('.tl-mark[data-event="blocked-bridge"]').click();
  await page.waitForURL(`**/features/blocked-bridge?at=2017-08-30`);
  assert.match(await page.locator('.tl-current').innerText(), /, 30 August 2017$/);
  assert.ok((await page.locator('.map [data-feature="blocked-bridge"].selected').count()) > 0, 'selected on the map');
  // History steps back through the timeline too.
  await page.goBack();
  await page.waitForURL(`**/features/qara?at=2017-08-28`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('play steps on by itself and pause stops it', async () => {
  const url = `${shared.server.base}/stories/${SEED}/features/convoy-loop?at=2017-08-31`;
  const { context, page, problems } = await openPage(shared.browser, url, { ...DESKTOP, reducedMotion: 'reduce' });
  await waitForMap(page);
  const play = page.locator('.tl-controls button', { hasText: 'Play' });
  await play.click();
  // The first step comes at once, the next after a pause a reader can follow.
  await page.waitForURL(`**/features/stranded-area?at=2017-08-31`);
  await page.waitForURL(`**/features/convoy-split?at=2017-09-03`, { timeout: 6000 });
  const pause = page.locator('.tl-controls button[aria-pressed="true"]');
  await pause.click();
  const stoppedAt = page.url();
  await page.waitForTimeout(4000);
  assert.equal(page.url(), stoppedAt, 'no step after pause');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the timeline starts after the map is drawn, or on its own when the map data fails', async () => {
  // As a reader opens the page: the map first, then the timeline.
  const story = `${shared.server.base}/stories/${SEED}`;
  const { context, page, problems } = await openPage(shared.browser, story, DESKTOP);
  await waitForMap(page);
  const [map, all] = await page.evaluate(() =>
    ['kort-map-ready', 'kort-page-ready'].map((mark) => performance.getEntriesByName(mark)[0].startTime),
  );
  assert.ok(all >= map, `the timeline started at ${all} ms, before the map was drawn at ${map} ms`);
  assert.deepEqual(problems, []);
  await context.close();

  // A layer whose data does not arrive: the map is never drawn in full, so
  // the timeline starts on its own, and plays.
  const broken = await shared.browser.newContext(DESKTOP);
  const tab = await broken.newPage();
  await tab.route('**/layers/strikes.geojson', (route) => route.fulfill({ status: 503, body: 'down' }));
  await tab.goto(`${story}/features/convoy-loop?at=2017-08-31`);
  await waitForPage(tab);
  assert.equal(await tab.locator('.map-frame[data-ready]').count(), 0, 'the map cannot be complete');
  await tab.locator('.tl-controls button', { hasText: 'Play' }).click();
  await tab.waitForURL(`**/features/stranded-area?at=2017-08-31`);
  await broken.close();
});

test('dragging the date filters the map', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  await waitForMap(page);
  const slider = page.locator('.tl-scrub input');
  // With no date chosen the slider stands at the axis' last day; keys move
  // it a day at a time.
  await slider.focus();
  await page.keyboard.press('Home');
  await page.waitForURL(/at=2017-08-1\d/);
  for (let i = 0; i < 30 && !page.url().includes('at=2017-08-29'); i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(50);
  }
  assert.match(page.url(), /at=2017-08-29/);
  await page.waitForFunction(() => !document.querySelector('.map [data-feature="blocked-bridge"]'));
  assert.ok((await onMap(page)).includes('humaymah'));
  assert.equal(await slider.getAttribute('aria-valuetext'), '29 August 2017');
  assert.deepEqual(problems, []);
  await context.close();
});

test('zooming the timeline in keeps the map its size and the article\'s label whole', async () => {
  const url = `${shared.server.base}/stories/${SEED}?lang=en&at=2017-08-30`;
  const { context, page, problems } = await openPage(shared.browser, url, DESKTOP);
  try {
    await waitForPage(page);
    const size = () => page.locator('.map').evaluate((map) => map.getBoundingClientRect().height);
    const before = await size();
    const zoomIn = page.getByRole('button', { name: 'Zoom in on the timeline' });
    // In, until events fall outside the axis and "◂ n earlier" appears.
    for (let times = 0; times < 6 && (await page.locator('.tl-edge').count()) === 0; times += 1) {
      await zoomIn.click();
    }
    assert.ok((await page.locator('.tl-edge').count()) > 0, 'events lie beyond the zoomed axis');
    assert.equal(await size(), before, 'the map keeps its height');
    // "The article" stands inside the axis wherever its line falls.
    const { label, axis } = await page.evaluate(() => ({
      label: document.querySelector('.tl-published-label')?.getBoundingClientRect().toJSON(),
      axis: document.querySelector('.tl-axis').getBoundingClientRect().toJSON(),
    }));
    assert.ok(label, 'the article\'s day is on the zoomed axis');
    assert.ok(label.left >= axis.left - 1 && label.right <= axis.right + 1, `the label at ${label.left}–${label.right}, the axis ${axis.left}–${axis.right}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
