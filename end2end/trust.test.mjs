// Trust in Chromium: a publisher corrects the seed at the desk (moves the
// bridge, protects a filmed position and records how it was geolocated,
// removes an unconfirmed place, gives a source its archived copy); readers
// then see the correction, the move on the map, the protected position,
// the chain of evidence, the removed feature's tombstone, and the version
// before; the corrected pages pass axe.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS,
  PUBLISHER,
  SEED,
  axeViolations,
  launchBrowser,
  signIn,
  startDesk,
  waitForMap,
} from './support.mjs';

let desk;
let browser;

before(async () => {
  desk = await startDesk();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await desk?.stop();
});

const NOTE = 'The bridge was 15 km further east; the split near Humaymah is not confirmed.';

/** Makes the correction at the desk, as a publisher does. */
async function correct(page, base) {
  const story = `${base}/desk/stories/${SEED}`;
  await signIn(page, base, PUBLISHER);
  await page.goto(story);
  // A source's archived copy.
  const sohr = page.locator('details[data-source="sohr"]');
  await sohr.locator('summary').click();
  await sohr.getByLabel(/^Archived copy/).fill('https://web.archive.org/web/20170831000000/https://www.syriahr.com/');
  await sohr.getByLabel(/^Archived on/).fill('2017-08-31');
  await sohr.getByRole('button', { name: 'Save the source' }).click();
  await page.waitForURL(/\?saved$/);
  // The bridge moves east.
  const bridge = page.locator('#feature-blocked-bridge-form');
  await page.locator('#feature-blocked-bridge summary').click();
  await bridge.locator('textarea[name=geometry]').fill('{"type":"Point","coordinates":[40.3,34.47]}');
  await bridge.getByRole('button', { name: 'Save the feature' }).click();
  await page.waitForURL(/\?saved#features$/);
  // The craters: filmed; published only to 5 km, and how they were found.
  await page.locator('#feature-road-craters summary').click();
  const craters = page.locator('#feature-road-craters-form');
  await craters.getByLabel('Publish the position only to (metres)').fill('5000');
  await craters.getByLabel('Found', { exact: true }).selectOption('visual-match');
  await craters.getByLabel('Geolocated by').fill('the kort verification desk');
  await craters.getByLabel('Geolocated on (YYYY-MM-DD)').fill('2017-09-01');
  await craters.getByLabel('Links that prove it (one per line, https://…)').fill('https://example.org/geolocation-thread');
  await craters.getByRole('button', { name: 'Save the feature' }).click();
  await page.waitForURL(/\?saved#features$/);
  assert.match(await page.locator('#feature-road-craters-form .desk-published').textContent(), /^Readers get:/);
  // The unconfirmed split goes.
  await page.locator('#feature-convoy-split summary').click();
  await page.locator('#feature-convoy-split').getByRole('button', { name: 'Remove the feature' }).click();
  await page.waitForURL(/\?saved/);
  // Published as a correction, with its note.
  await page.getByLabel('This change is').selectOption('correction');
  await page.getByLabel('What changed and why (shown to readers)').fill(NOTE);
  await page.getByRole('button', { name: 'Publish this version' }).click();
  await page.waitForURL(/\?published$/);
}

test('a correction is told to readers, on the page, the panel, the map and the removed address', async () => {
  const base = desk.server.base;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', bypassCSP: true });
  const page = await context.newPage();
  try {
    await correct(page, base);

    // The moved bridge: its panel says why, the map shows where it was.
    await page.goto(`${base}/stories/${SEED}/features/blocked-bridge?lang=en`);
    await waitForMap(page);
    assert.match(await page.locator('#corrections').innerText(), new RegExp(NOTE.replace('.', '\\.')));
    assert.match(await page.locator('.panel .panel-correction').innerText(), /^Correction, \d+ \w+ \d{4}: The bridge/);
    assert.equal(await page.locator('.leaflet-overlay-pane path.moved').count(), 3, 'ring, line and arrowhead');
    await page.screenshot({ path: path.join(ARTIFACTS, 'trust-moved.png') });
    assert.deepEqual(await axeViolations(page), []);

    // The craters: given to 5 km, with how they were found.
    await page.goto(`${base}/stories/${SEED}/features/road-craters?lang=en`);
    await waitForMap(page);
    const panel = page.locator('.panel');
    assert.match(await panel.locator('.protected').innerText(), /^Position given only to ± 5 km to protect/);
    assert.match(await panel.locator('.uncertainty').innerText(), /± 30 km/);
    const chain = await panel.locator('.provenance .chain > li').allInnerTexts();
    assert.equal(chain.length, 2, chain.join(' | '));
    assert.match(chain[1], /^geolocated by the kort verification desk by matching landmarks to satellite imagery/);
    assert.equal(await panel.locator('.evidence a').count(), 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'trust-protected.png') });

    // A source's archived copy, beside where it was.
    await page.goto(`${base}/stories/${SEED}?lang=en`);
    const sohr = page.locator('.story-sources .source', { hasText: 'Syrian Observatory' });
    assert.equal(await sohr.locator('.source-archived a').getAttribute('href'), 'https://web.archive.org/web/20170831000000/https://www.syriahr.com/');

    // The removed place's old address: when, why, and where it still is.
    const gone = await page.goto(`${base}/stories/${SEED}/features/convoy-split?lang=en`);
    assert.equal(gone.status(), 410);
    assert.match(await page.locator('main').innerText(), /was removed from this story on .*not confirmed/s);
    await page.screenshot({ path: path.join(ARTIFACTS, 'trust-tombstone.png') });
    await page.getByRole('link', { name: 'See it as it was' }).click();
    await page.waitForURL(`${base}/stories/${SEED}/rev/1/features/convoy-split`);
    await waitForMap(page);
    assert.match(await page.locator('.revision-notice').innerText(), /^This is the version of 30 August 2017\./);
    assert.match(await page.locator('.panel h2').innerText(), /split/i);
    await page.screenshot({ path: path.join(ARTIFACTS, 'trust-revision.png') });
  } finally {
    await context.close();
  }
});
