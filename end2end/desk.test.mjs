// The desk in Chromium: an editor signs in, makes a story, writes it, draws
// and links its features, fixes what the checks report, previews it,
// publishes it and reads it as readers do;
// the desk's pages pass axe and the Nu checker, in English and Danish.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS,
  EDITOR,
  atomErrors,
  PUBLISHER,
  axeViolations,
  htmlErrors,
  launchBrowser,
  signIn,
  startDesk,
  waitForMap,
  waitForPage,
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

/** Draws on the desk's map with Geoman's `tool`, clicking `points` ([x, y] as fractions of the map). */
async function draw(page, tool, points) {
  const map = page.locator('.desk-map');
  await map.scrollIntoViewIfNeeded();
  await page.locator(`.leaflet-pm-icon-${tool}`).click();
  const box = await map.boundingBox();
  for (const [x, y] of points) {
    await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
  }
}

/** Adds the feature the map has just drawn, as `title` in `layer`. */
async function addDrawn(page, title, layer) {
  const form = page.locator('#feature-new-form');
  assert.match(await form.locator('[name=geometry]').inputValue(), /"coordinates"/);
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Layer').selectOption({ label: layer });
  await form.getByRole('button', { name: 'Add the feature' }).click();
  await page.waitForURL(/\?saved#features$/);
  await waitForPage(page);
}

/** Selects `words` (their `nth` occurrence) in the article's paragraph `paragraph`, as a reader's mouse would. */
async function select(page, paragraph, words, nth = 0) {
  await page.evaluate(
    ([paragraph, words, nth]) => {
      const p = document.querySelector(`#linking-article p[data-paragraph="${paragraph}"]`);
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let at = node.data.indexOf(words);
        while (at >= 0) {
          if (seen++ === nth) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return;
          }
          at = node.data.indexOf(words, at + 1);
        }
      }
      throw new Error(`${words} not in ${paragraph}`);
    },
    [paragraph, words, nth],
  );
  await page.waitForFunction((words) => document.querySelector('#link-quote').value === words, words);
}

test('a publisher makes a story on the map, links it, previews, publishes, reads and republishes it', async () => {
  const base = desk.server.base;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const story = `${base}/desk/stories/convoy-stranded-in-the-desert`;
  try {
    await signIn(page, base, PUBLISHER);
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-stories.png'), fullPage: true });
    // The stories, the seed among them, published.
    const seed = page.locator('tr[data-story="arsal-convoy-2017"] td[data-state]');
    assert.equal(await seed.getAttribute('data-state'), 'published');

    // A new story, from the form.
    await page.getByLabel('Title').fill('Convoy stranded in the desert');
    await page.getByLabel('Language').fill('en');
    await page.getByLabel('Publication date (YYYY-MM-DD)').fill('2017-09-01');
    await page.getByLabel('Publisher or source line').fill('kort desk, browser test');
    await page.getByLabel('Summary', { exact: true }).fill('The convoy waits in the desert after the strikes.');
    for (const [edge, value] of [['West', '38'], ['South', '33.5'], ['East', '41.5'], ['North', '35.5']]) {
      await page.getByLabel(edge, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(story);

    // Its problems are listed, and publishing waits for them.
    assert.match(await page.locator('#problems').innerText(), /problem/);
    assert.equal(await page.getByRole('button', { name: 'Publish this version' }).isDisabled(), true);

    // Three layers, then the article, pasted.
    for (const [title, symbol] of [['Places', 'place'], ['Convoy', 'route'], ['Enclave', 'area']]) {
      await page.locator('#layer-title').fill(title);
      await page.locator('#layer-symbol').selectOption(symbol);
      await page.getByRole('button', { name: 'Add the layer' }).click();
      await page.waitForURL(/\?saved$/);
    }
    assert.match(await page.locator('.desk-layers li').nth(1).innerText(), /Convoy · Route \(driven\)/);
    await page.getByLabel('Article', { exact: true }).fill(
      'The convoy left the enclave on Monday. The convoy waited in the desert after the coalition cut the road.\n\nAid could not reach it.',
    );
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\?saved$/);
    await waitForPage(page);
    assert.equal(await page.locator('.desk-notice').innerText(), 'Saved.');
    assert.equal(await page.locator('#problems').innerText(), 'No problems: the story can be published.');
    assert.match(await page.getByLabel('Article', { exact: true }).inputValue(), /^\{#the-convoy-left-the\} The convoy/);

    // A point, a route and an area, drawn on the map.
    await draw(page, 'marker', [[0.45, 0.55]]);
    assert.equal(await page.locator('.desk-map-status').innerText(), 'Drawing for: New feature');
    await addDrawn(page, 'Where the convoy waited', 'Places');
    await draw(page, 'polyline', [[0.2, 0.3], [0.4, 0.45], [0.6, 0.5], [0.6, 0.5]]);
    await addDrawn(page, "The convoy's route", 'Convoy');
    await draw(page, 'polygon', [[0.15, 0.2], [0.25, 0.2], [0.22, 0.35], [0.15, 0.2]]);
    await addDrawn(page, 'The enclave', 'Enclave');
    for (const [id, kind] of [['where-the-convoy-waited', 'Point'], ['the-convoy-s-route', 'LineString'], ['the-enclave', 'Polygon']]) {
      assert.match(await page.locator(`details[data-feature="${id}"] summary`).innerText(), new RegExp(kind));
    }
    assert.equal(await page.locator('.leaflet-draft-pane path').count(), 3, 'the three, drawn again from the draft');

    // Words linked to the features: one selected, one ambiguous, one making a new feature.
    await select(page, 'the-convoy-left-the', 'the enclave');
    await page.getByLabel('Feature', { exact: true }).selectOption({ label: 'The enclave' });
    await page.getByRole('button', { name: 'Link the words' }).click();
    await page.waitForURL(/\?saved#linking$/);
    await waitForPage(page);
    await select(page, 'the-convoy-left-the', 'The convoy', 1);
    await page.getByLabel('Feature', { exact: true }).selectOption({ label: "The convoy's route" });
    await page.getByRole('button', { name: 'Link the words' }).click();
    await page.waitForURL(/\?saved#linking$/);
    await waitForPage(page);
    await select(page, 'aid-could-not-reach', 'Aid');
    await page.getByLabel('Feature', { exact: true }).selectOption({ label: 'A new feature, named after the words' });
    await page.getByLabel('Layer of a new feature').selectOption({ label: 'Places' });
    await page.getByRole('button', { name: 'Link the words' }).click();
    await page.waitForURL(/\?saved#linking$/);
    await waitForPage(page);
    assert.deepEqual(await page.locator('#linking-article mark.passage').allInnerTexts(), ['the enclave', 'The convoy', 'Aid']);
    assert.match(await page.locator('details[data-feature="the-convoy-s-route"] .desk-passages').innerText(), /The convoy/);

    // The checks report what is missing, each next to its feature: the new
    // feature has no position, and no feature cites a source.
    assert.match(await page.locator('#problems').innerText(), /4 problems/);
    assert.match(await page.locator('#feature-aid-form .desk-problems').innerText(), /geometry: is missing/);
    assert.match(await page.locator('#feature-the-enclave-form .desk-problems').innerText(), /sources: is empty/);
    assert.equal(await page.getByRole('button', { name: 'Publish this version' }).isDisabled(), true);

    // A source, then each feature fixed: the source cited, the new one placed
    // by name from the basemap's places, the route's uncertainty typed.
    await page.getByLabel('Kind').last().selectOption('wire-report');
    await page.locator('#source-new-publisher').fill('AFP');
    await page.locator('#source-new-title').fill('Convoy stranded in the desert');
    await page.getByRole('button', { name: 'Add the source' }).click();
    await page.waitForURL(/\?saved$/);
    await waitForPage(page);
    for (const id of ['where-the-convoy-waited', 'the-convoy-s-route', 'the-enclave', 'aid']) {
      const form = page.locator(`#feature-${id}-form`);
      if (!(await form.isVisible())) {
        await page.locator(`details[data-feature="${id}"] summary`).click();
      }
      await form.getByLabel('AFP — Convoy stranded in the desert').check();
      if (id === 'aid') {
        await form.getByLabel('Place').fill('Deir ez-Zor');
      }
      if (id === 'the-convoy-s-route') {
        await form.getByLabel('Uncertainty (metres)').fill('5000');
      }
      if (id === 'where-the-convoy-waited') {
        // Typed in, a point's uncertainty shows as its circle on the map at once.
        const shapes = await page.locator('.leaflet-draft-pane path').count();
        await form.getByLabel('Uncertainty (metres)').fill('3000');
        assert.equal(await page.locator('.leaflet-draft-pane path').count(), shapes + 1);
      }
      await form.getByRole('button', { name: 'Save the feature' }).click();
      await page.waitForURL(/\?saved#features$/);
      await waitForPage(page);
    }
    assert.equal(await page.locator('#problems').innerText(), 'No problems: the story can be published.');
    assert.equal(await page.locator('#feature-aid-form').getByLabel('Name in Arabic').inputValue(), 'دير الزور');
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-story.png'), fullPage: true });

    // The preview: the reader's page, from the draft, at desktop and phone width.
    await page.getByRole('link', { name: 'Preview the draft as readers will see it' }).click();
    await page.waitForURL(`${base}/desk/preview/stories/convoy-stranded-in-the-desert`);
    await waitForMap(page);
    assert.equal(await page.locator('main h1').innerText(), 'Convoy stranded in the desert');
    assert.equal(await page.locator('#article a.passage').count(), 3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-preview.png') });
    await page.locator('#article a.passage', { hasText: 'The convoy' }).click();
    await page.waitForURL(/\/desk\/preview\/stories\/convoy-stranded-in-the-desert\/features\/the-convoy-s-route/);
    assert.match(await page.locator('.panel').innerText(), /AFP/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-preview-phone.png') });
    const readers = await page.request.get(`${base}/stories/convoy-stranded-in-the-desert`);
    assert.equal(readers.status(), 404, 'readers see nothing of a draft');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Published, and read as readers do.
    await page.goto(story);
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\?published$/);
    assert.match(await page.locator('.desk-state').innerText(), /^Published/);
    await page.getByRole('link', { name: 'Read it as readers do' }).click();
    await page.waitForURL(`${base}/stories/convoy-stranded-in-the-desert`);
    await waitForMap(page);
    assert.equal(await page.locator('h1').innerText(), 'Convoy stranded in the desert');
    assert.match(await page.locator('#article').innerText(), /Aid could not reach it\./);
    assert.equal(await page.locator('#article a.passage').count(), 3);

    // Edited and published again.
    await page.goto(story);
    await page.getByLabel('Summary', { exact: true }).fill('The convoy is still stranded.');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\?saved$/);
    assert.match(await page.locator('.desk-state').innerText(), /changes/);
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\?published$/);
    const republished = await page.request.get(`${base}/stories/convoy-stranded-in-the-desert`);
    assert.match(await republished.text(), /The convoy is still stranded\./);

    // Corrected: not published until readers are told what and why; then
    // told on the story, in its feed and the site's.
    await page.goto(story);
    const article = page.getByLabel('Article', { exact: true });
    await article.fill((await article.inputValue()).replace('Aid could not reach it.', 'Aid reached it on Friday.'));
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\?saved$/);
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\?error=invalid$/);
    assert.match(await page.locator('.desk-refused').innerText(), /whether it is a correction, an update or a clarification/);
    const note = 'Aid reached the convoy on Friday; the first version said it never did.';
    await page.getByLabel('This change is').selectOption('correction');
    await page.getByLabel('What changed and why (shown to readers)').fill(note);
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\?published$/);
    // (The page read before is fresh in the browser's cache for a minute:
    // a reader coming by another address gets the new one at once.)
    await page.goto(`${base}/stories/convoy-stranded-in-the-desert?lang=en`);
    assert.match(await page.locator('#corrections').innerText(), new RegExp(note));
    await page.locator('#corrections a', { hasText: 'Read the version before' }).click();
    await page.waitForURL(/\/stories\/convoy-stranded-in-the-desert\/rev\/2$/);
    await waitForMap(page);
    assert.match(await page.locator('#article').innerText(), /Aid could not reach it\./);
    assert.match(await page.locator('.revision-notice').innerText(), /^This is the version of /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-revision.png') });
    const feeds = mkdtempSync(path.join(os.tmpdir(), 'kort-feeds-'));
    try {
      for (const [name, url] of [['story', '/stories/convoy-stranded-in-the-desert/updates.atom'], ['site', '/updates.atom']]) {
        const response = await page.request.get(`${base}${url}`);
        assert.equal(response.headers()['content-type'], 'application/atom+xml; charset=utf-8');
        const feed = await response.text();
        assert.match(feed, new RegExp(note));
        writeFileSync(path.join(feeds, `${name}.xml`), feed);
      }
      assert.deepEqual(await atomErrors([path.join(feeds, 'story.xml'), path.join(feeds, 'site.xml')]), []);
    } finally {
      rmSync(feeds, { recursive: true, force: true });
    }
  } finally {
    await context.close();
  }
});

test('an editor signs in by keyboard, cannot publish, and signs out', async () => {
  const base = desk.server.base;
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await signIn(page, base, EDITOR);
    await page.goto(`${base}/desk/stories/arsal-convoy-2017`);
    assert.equal(await page.locator('.desk-publishing').count(), 0, 'no publishing for editors');
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-story-phone.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/desk/login`);
    await page.goto(`${base}/desk`);
    assert.equal(page.url(), `${base}/desk/login`, 'signed out');
  } finally {
    await context.close();
  }
});

test('unsaved work survives a reload and a closed tab, and is offered back', async () => {
  const base = desk.server.base;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let page = await context.newPage();
  try {
    await signIn(page, base, PUBLISHER);
    const story = `${base}/desk/stories/arsal-convoy-2017`;
    await page.goto(story);
    await waitForPage(page);
    const article = page.getByLabel('Article', { exact: true });
    const typed = `${await article.inputValue()}\n\nA paragraph typed, not saved.`;
    await article.fill(typed);
    await page.getByLabel('Summary', { exact: true }).fill('A summary typed, not saved.');
    // A point drawn on the map for a new feature, and its title typed.
    await draw(page, 'marker', [[0.5, 0.6]]);
    const drawn = await page.locator('#feature-new-geometry').inputValue();
    assert.match(drawn, /"Point"/);
    await page.locator('#feature-new-title').fill('A place drawn, not saved');

    // The tab is closed without saving; a new one opens the story.
    await page.close();
    page = await context.newPage();
    await page.goto(story);
    await waitForPage(page);
    const offer = page.locator('.desk-kept');
    await offer.getByRole('button', { name: 'Restore it' }).waitFor();
    assert.match(await offer.innerText(), /Unsaved work from .+ is kept in this browser\./);
    assert.doesNotMatch(await page.getByLabel('Article', { exact: true }).inputValue(), /typed, not saved/);
    await offer.getByRole('button', { name: 'Restore it' }).click();
    assert.equal(await page.getByLabel('Article', { exact: true }).inputValue(), typed);
    assert.equal(await page.getByLabel('Summary', { exact: true }).inputValue(), 'A summary typed, not saved.');
    assert.equal(await page.locator('#feature-new-geometry').inputValue(), drawn);
    assert.equal(await page.locator('#feature-new-title').inputValue(), 'A place drawn, not saved');

    // Saved, it is no longer offered.
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\?saved$/);
    await waitForPage(page);
    assert.match(await page.getByLabel('Article', { exact: true }).inputValue(), /A paragraph typed, not saved\./);
    // The feature drawn was not saved: it is still offered, until discarded.
    await offer.getByRole('button', { name: 'Discard it' }).waitFor();
    await offer.getByRole('button', { name: 'Discard it' }).click();
    await page.reload();
    await waitForPage(page);
    assert.equal(await page.locator('.desk-kept button').count(), 0, 'nothing left to offer');
  } finally {
    await context.close();
  }
});

for (const locale of ['en-GB', 'da-DK']) {
  test(`the desk's pages pass axe and the Nu checker (${locale})`, async () => {
    const base = desk.server.base;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kort-desk-vnu-'));
    // axe is injected as an inline script, which the desk's policy rightly refuses.
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    try {
      const files = [];
      const check = async (name) => {
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${name}:\n${violations.join('\n')}`);
        const file = path.join(dir, `${name}.html`);
        const response = await page.request.get(page.url());
        writeFileSync(file, await response.text());
        files.push(file);
      };
      await page.goto(`${base}/desk/login?failed`);
      await check('login');
      await signIn(page, base, PUBLISHER);
      await check('stories');
      await page.goto(`${base}/desk/stories/arsal-convoy-2017`);
      await check('story');
      const errors = await htmlErrors(files);
      assert.deepEqual(errors, [], errors.join('\n'));
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
