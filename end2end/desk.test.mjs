// The desk in Chromium: an editor signs in, makes a story, writes it,
// fixes what the checks report, publishes it and reads it as readers do;
// the desk's pages pass axe and the Nu checker, in English and Danish.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS,
  EDITOR,
  PUBLISHER,
  axeViolations,
  htmlErrors,
  launchBrowser,
  signIn,
  startDesk,
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

test('a publisher makes a story, fixes its problems, publishes it and reads it', async () => {
  const base = desk.server.base;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
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
    await page.getByLabel('Summary').fill('The convoy waits in the desert after the strikes.');
    for (const [edge, value] of [['West', '38'], ['South', '33.5'], ['East', '41.5'], ['North', '35.5']]) {
      await page.getByLabel(edge, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(`${base}/desk/stories/convoy-stranded-in-the-desert`);

    // Its problems are listed, and publishing waits for them.
    assert.match(await page.locator('#problems').innerText(), /problem/);
    assert.equal(await page.getByRole('button', { name: 'Publish this version' }).isDisabled(), true);

    // A layer, then the article.
    await page.getByLabel('Layer title').fill('Convoy');
    await page.getByLabel('Symbol').selectOption('route');
    await page.getByRole('button', { name: 'Add the layer' }).click();
    await page.waitForURL(/\?saved$/);
    assert.match(await page.locator('.desk-layers li').innerText(), /Convoy · Route \(driven\)/);
    await page.getByLabel('Article', { exact: true }).fill(
      'The convoy waited in the desert after the coalition cut the road.\n\nAid could not reach it.',
    );
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\?saved$/);
    assert.equal(await page.locator('.desk-notice').innerText(), 'Saved.');
    assert.equal(await page.locator('#problems').innerText(), 'No problems: the story can be published.');
    assert.match(await page.getByLabel('Article', { exact: true }).inputValue(), /^\{#the-convoy-waited-in\} The convoy/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-story.png'), fullPage: true });

    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\?published$/);
    assert.match(await page.locator('.desk-state').innerText(), /^Published/);

    // Readers see it.
    await page.getByRole('link', { name: 'Read it as readers do' }).click();
    await page.waitForURL(`${base}/stories/convoy-stranded-in-the-desert`);
    assert.equal(await page.locator('h1').innerText(), 'Convoy stranded in the desert');
    assert.match(await page.locator('#article').innerText(), /Aid could not reach it\./);
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
    await page.getByLabel('Summary').fill('A summary typed, not saved.');

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
    assert.equal(await page.getByLabel('Summary').inputValue(), 'A summary typed, not saved.');

    // Saved, it is no longer offered.
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\?saved$/);
    await waitForPage(page);
    assert.match(await page.getByLabel('Article', { exact: true }).inputValue(), /A paragraph typed, not saved\./);
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
