// The front page of a site with more than a handful of stories: a reader
// finds one by place and date with the form, in their language; the page
// stays valid and accessible.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SEED, axeViolationsAt, openPage, servedHtmlErrors, useStoriesCopy } from './support.mjs';

const SEED_VIEW = 'view = { west = 35.9, south = 33.6, east = 41.3, north = 35.2 }';
// The seed told again as other stories: published another day, one with
// its map reaching into Jordan.
const COPIES = [
  ['to-jordan', '2016-05-01', 'view = { west = 35.9, south = 31.5, east = 41.3, north = 35.2 }'],
  ['a', '2017-09-01', SEED_VIEW],
  ['b', '2017-10-01', SEED_VIEW],
  ['c', '2018-02-01', SEED_VIEW],
  ['d', '2018-03-01', SEED_VIEW],
  ['e', '2018-04-01', SEED_VIEW],
];

const shared = useStoriesCopy((dir) => {
  for (const [slug, published, view] of COPIES) {
    const copy = path.join(dir, slug);
    cpSync(path.join(dir, SEED), copy, { recursive: true });
    const manifest = readFileSync(path.join(copy, 'story.toml'), 'utf8')
      .replace('published = "2017-08-30"', `published = "${published}"`)
      .replace(SEED_VIEW, view);
    writeFileSync(path.join(copy, 'story.toml'), manifest);
  }
});

const listed = (page) =>
  page.locator('.story-card-title a').evaluateAll((links) => links.map((link) => new URL(link.href).pathname));

test('a reader finds stories by the place their map shows and by date', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/`, {
    viewport: { width: 390, height: 844 },
    locale: 'en-GB',
  });
  assert.equal((await listed(page)).length, 7);
  await page.getByLabel('Place').selectOption({ label: 'Jordan (1)' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/place=Jordan/);
  assert.deepEqual(await listed(page), ['/stories/to-jordan']);
  assert.equal(await page.getByRole('status').innerText(), 'Showing 1 of 7 stories.');
  // The choice stays in the form; dates narrow the rest.
  assert.equal(await page.getByLabel('Place').inputValue(), 'Jordan');
  await page.getByLabel('Place').selectOption('');
  await page.getByLabel('Published from').fill('2018-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/from=2018-01-01/);
  assert.deepEqual(await listed(page), ['/stories/e', '/stories/d', '/stories/c']);
  await page.getByRole('link', { name: 'All stories' }).click();
  await page.waitForURL((url) => !url.search.includes('from='));
  assert.equal((await listed(page)).length, 7);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the filtered front page is accessible and valid, in each language', async () => {
  for (const [url, locale] of [
    ['/?lang=en&place=Syria&from=2017-01-01', 'en-GB'],
    ['/?lang=ar&from=2018-01-01', 'ar'],
  ]) {
    for (const colorScheme of ['light', 'dark']) {
      const violations = await axeViolationsAt(
        shared.browser,
        `${shared.server.base}${url}`,
        { viewport: { width: 1280, height: 800 }, locale, colorScheme, bypassCSP: true },
        false,
      );
      assert.deepEqual(violations, [], `${url} (${colorScheme}):\n${violations.join('\n')}`);
    }
  }
  const messages = await servedHtmlErrors(shared.server.base, [
    ['front-en', '/?lang=en&place=Jordan', 'en'],
    ['front-ar', '/?lang=ar&to=2017-12-31', 'ar'],
  ]);
  assert.deepEqual(messages, [], messages.join('\n'));
});
