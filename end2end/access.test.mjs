// Everyone can read it: axe-core finds no violations on every kind of page,
// at desktop and phone sizes, in light and dark schemes; the language switch
// changes the interface and the article; Arabic names run right to left.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, SEED, axeViolationsAt, openPage, settled, useServerAndBrowser, waitForMap } from './support.mjs';

const shared = useServerAndBrowser();

const PAGES = [
  ['the story list', '/', false],
  ['the About page', '/about', false],
  ['a story page', `/stories/${SEED}`, true],
  ['a feature deep link', `/stories/${SEED}/features/blocked-bridge`, true],
  ['an embed page', `/embed/stories/${SEED}/features/blocked-bridge`, true],
  ['the 404 page', '/no/such/page', false],
];

const SETTINGS = [
  ['desktop', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' }],
  ['phone', { viewport: { width: 390, height: 844 }, colorScheme: 'light', hasTouch: true, isMobile: true }],
  ['desktop, dark', { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }],
];

for (const [size, options] of SETTINGS) {
  for (const [name, url, hasMap] of PAGES) {
    test(`axe finds no violations on ${name} (${size})`, async () => {
      const violations = await axeViolationsAt(
        shared.browser,
        `${shared.server.base}${url}`,
        {
          ...options,
          locale: 'en-GB',
          // axe is injected by the test as an inline script, which the
          // page's Content-Security-Policy rightly refuses.
          bypassCSP: true,
        },
        hasMap,
      );
      assert.deepEqual(violations, [], `${url} at ${size}:\n${violations.join('\n')}`);
    });
  }
}

test('the language switch changes the interface and the article, and passages work in both', async () => {
  const { context, page, problems } = await openPage(
    shared.browser,
    `${shared.server.base}/stories/${SEED}`,
    { locale: 'en-GB', viewport: { width: 1280, height: 800 } },
  );
  try {
    await waitForMap(page);
    // An English reader meets the English interface and the original Danish text.
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getAttribute('article', 'lang'), 'da');
    assert.match(await page.textContent('.share'), /Share this view/);

    await page.click('text=Read the translation (English)');
    await page.waitForSelector('article[lang="en"]');
    assert.match(page.url(), /\?lang=en$/);
    assert.match(await page.textContent('h1'), /Coalition bombs the road/);
    await page.click('.passage:has-text("destroyed a small bridge")');
    await page.waitForSelector('.panel[data-feature="blocked-bridge"]');
    assert.match(page.url(), /\/features\/blocked-bridge\?lang=en$/);
    assert.equal(await page.locator('.passage.selected').first().textContent(), 'destroyed a small bridge');

    // Dansk: the interface and the article in Danish, the selection kept.
    await page.click('.language-switch >> text=Dansk');
    await page.waitForSelector('article[lang="da"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'da');
    assert.match(page.url(), /\/features\/blocked-bridge\?lang=da$/);
    assert.equal(await page.locator('.passage.selected').first().textContent(), 'ødelagt en lille bro');
    assert.match(await page.textContent('.panel'), /Omtrentlig position, ± 25 km/);
    assert.match(await page.textContent('.panel'), /30\. august 2017/);
    assert.match(await page.textContent('.feature-list h2'), /På kortet/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'danish.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Arabic names are marked up and run right to left', async () => {
  const { context, page } = await openPage(
    shared.browser,
    `${shared.server.base}/stories/${SEED}/features/arsal`,
    { locale: 'en-GB', viewport: { width: 1280, height: 800 } },
  );
  try {
    await waitForMap(page);
    const name = page.locator('.panel [lang="ar"]');
    assert.equal(await name.textContent(), 'عرسال');
    assert.equal(await name.getAttribute('dir'), 'rtl');
    assert.equal(await name.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    // The basemap's labels carry Arabic names the same way.
    const labels = page.locator('.leaflet-container [lang="ar"]');
    assert.ok((await labels.count()) > 0, 'Arabic map labels');
    assert.equal(await labels.first().evaluate((el) => getComputedStyle(el).direction), 'rtl');
  } finally {
    await context.close();
  }
});

test('a live region announces the selection', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    locale: 'en-GB',
    viewport: { width: 1280, height: 800 },
  });
  try {
    await waitForMap(page);
    const live = page.locator('[aria-live="polite"][role="status"]').last();
    assert.equal((await live.textContent()).trim(), '', 'nothing said on arrival');
    await page.click('.feature-list a[data-feature="blocked-bridge"]');
    await page.waitForSelector('.panel[data-feature="blocked-bridge"]');
    assert.equal(await live.textContent(), 'Selected: Destroyed bridge east of Humaymah');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.panel', { state: 'detached' });
    assert.equal(await live.textContent(), 'Selection cleared');
  } finally {
    await context.close();
  }
});

/** What a phone reader would trip over: text under 16 px, targets under 44 px, boxes that overlap. */
function layoutProblems() {
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const describe = (element) =>
    `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ')[0]}` : ''} “${(element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 30)}”`;
  const small = [];
  for (const element of document.querySelectorAll('body *')) {
    // Map labels are drawn at map scale; the skip links and hidden text are not on screen.
    if (element.closest('.leaflet-container, .visually-hidden, .skip-links') || !shown(element)) continue;
    const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (ownText && size < 16) small.push(`${describe(element)}: ${size}px`);
  }
  const targets = [];
  for (const element of document.querySelectorAll('a, button, summary, label, [role="button"], .leaflet-marker-icon')) {
    if (!shown(element) || element.closest('.skip-links')) continue;
    // Decorations (route chevrons, stop bars) take no clicks.
    if (getComputedStyle(element).pointerEvents === 'none') continue;
    // Shapes drawn on the map (areas, routes, place dots) are each also a
    // 44 px link in the feature list (WCAG 2.5.8 "equivalent").
    if (element instanceof SVGElement) continue;
    // Links inside a sentence and the map's credits are exempt (WCAG 2.5.8 "inline").
    const inline = getComputedStyle(element).display === 'inline';
    if (inline && element.closest('p, blockquote, .leaflet-control-attribution')) continue;
    const box = element.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) targets.push(`${describe(element)}: ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  const overlapping = [];
  const boxes = ['.panel', '.layer-control summary', '.leaflet-control-zoom', '.embed-credit', '.leaflet-control-attribution']
    .map((selector) => [selector, document.querySelector(selector)])
    .filter(([, element]) => element && shown(element))
    .map(([selector, element]) => [selector, element.getBoundingClientRect()]);
  for (const [i, [a, boxA]] of boxes.entries()) {
    for (const [b, boxB] of boxes.slice(i + 1)) {
      const overlap = boxA.left < boxB.right - 1 && boxB.left < boxA.right - 1 && boxA.top < boxB.bottom - 1 && boxB.top < boxA.bottom - 1;
      if (overlap) overlapping.push(`${a} overlaps ${b}`);
    }
  }
  const scroll = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return { scroll, small, targets, overlapping };
}

for (const [width, height] of [
  [360, 740],
  [390, 844],
  [1280, 800],
]) {
  test(`at ${width}×${height}: no sideways scroll, text ≥ 16 px, targets ≥ 44 px, nothing overlapping`, async () => {
    const phone = width < 500;
    for (const url of [`/stories/${SEED}/features/blocked-bridge`, `/stories/${SEED}?lang=en`, '/']) {
      const { context, page } = await openPage(shared.browser, `${shared.server.base}${url}`, {
        viewport: { width, height },
        isMobile: phone,
        hasTouch: phone,
        locale: 'en-GB',
      });
      try {
        if (url !== '/') await waitForMap(page);
        const found = await page.evaluate(layoutProblems);
        assert.deepEqual(found, { scroll: 0, small: [], targets: [], overlapping: [] }, `${url} at ${width}×${height}`);
      } finally {
        await context.close();
      }
    }
  });
}

test('the embed at 300×300: its credit line and panel stay apart', async () => {
  const { context, page } = await openPage(
    shared.browser,
    `${shared.server.base}/embed/stories/${SEED}/features/blocked-bridge`,
    { viewport: { width: 300, height: 300 }, locale: 'en-GB' },
  );
  try {
    await waitForMap(page);
    const { scroll, overlapping } = await page.evaluate(layoutProblems);
    assert.deepEqual({ scroll, overlapping }, { scroll: 0, overlapping: [] });
    assert.ok(await page.locator('.embed-credit a').isVisible());
  } finally {
    await context.close();
  }
});

test('the embed at 300×300 explains its symbols: its legend opens over the map and closes as the map is used', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/embed/stories/${SEED}?lang=en`, {
    viewport: { width: 300, height: 300 },
    locale: 'en-GB',
  });
  try {
    await waitForMap(page);
    const summary = page.locator('.layer-control summary');
    assert.equal(await summary.textContent(), 'Layers and legend');
    await summary.click();
    // Each layer with its symbol, and what the marks on the map mean.
    const layers = await page.locator('.layer-control .layer-switch').evaluateAll((switches) =>
      switches.map((s) => [s.querySelector('input').value, s.querySelector('.swatch').className]),
    );
    assert.ok(layers.some(([, swatch]) => swatch.includes('swatch-strike')), JSON.stringify(layers));
    assert.ok(await page.locator('.layer-control .legend li', { hasText: 'estimated position' }).isVisible());
    const { scroll } = await page.evaluate(layoutProblems);
    assert.equal(scroll, 0);
    // A tap on the map gives it back.
    const map = await page.locator('.map').boundingBox();
    await page.mouse.click(map.x + 40, map.y + map.height - 40);
    assert.equal(await page.locator('.layer-control').evaluate((details) => details.open), false);
  } finally {
    await context.close();
  }
});

test('the keyboard reaches every feature on the map, Space selects, and Tab leads out again', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    locale: 'en-GB',
    viewport: { width: 1280, height: 800 },
  });
  try {
    await waitForMap(page);
    const features = await page.evaluate(() =>
      [...document.querySelectorAll('.feature-list a[data-feature]')].map((a) => a.dataset.feature),
    );
    // From the skip link to the map, Tab through the map.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the map');
    await page.keyboard.press('Enter');
    const reached = [];
    const unnamed = [];
    let left = false;
    for (let i = 0; i < 60; i += 1) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const element = document.activeElement;
        if (!element.closest('.map-frame')) return { outside: true };
        const named = ['aria-label', 'aria-labelledby', 'title'].some((name) => element.getAttribute(name)?.trim())
          || element.textContent.trim() !== '';
        return { feature: element.getAttribute('data-feature'), named, tag: element.outerHTML.slice(0, 80) };
      });
      if (where.outside) {
        left = true;
        break;
      }
      if (!where.named) unnamed.push(where.tag);
      if (where.feature && !reached.includes(where.feature)) reached.push(where.feature);
    }
    assert.deepEqual(unnamed, [], 'every Tab stop on the map has a name');
    assert.deepEqual([...reached].sort(), [...features].sort(), 'every feature is reachable on the map');
    assert.ok(left, 'Tab leads out of the map: no keyboard trap');

    // Space on a shape (the enclave, drawn in SVG) selects it.
    await page.focus('.leaflet-container [data-feature="arsal-enclave"]');
    await page.keyboard.press(' ');
    await page.waitForURL(`**/features/arsal-enclave`);
    assert.equal(await page.locator('.panel h2').innerText(), 'IS pocket on the Lebanon–Syria border at the ceasefire');
    await page.keyboard.press('Escape');
    await page.waitForURL(`**/stories/${SEED}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('printed, a story is its headline, the map as the reader left it with its legend, the article, the features and the sources with addresses', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=en&layers=places&layers=strikes`, {
    locale: 'en-GB',
    viewport: { width: 1280, height: 800 },
  });
  try {
    await waitForMap(page);
    // The reader zooms in once: paper shows that view, not the story's.
    await page.locator('.leaflet-control-zoom-in').click();
    await page.waitForURL(/view=/);
    const names = () =>
      settled(page, () => {
        const map = document.querySelector('.map').getBoundingClientRect();
        return [...document.querySelectorAll('.map .leaflet-marker-icon.place-label:not(.label-hidden), .map .leaflet-marker-icon.basemap-place:not(.label-hidden)')]
          .filter((name) => {
            const box = name.getBoundingClientRect();
            return box.left >= map.left && box.right <= map.right && box.top >= map.top && box.bottom <= map.bottom;
          })
          .map((name) => name.textContent)
          .sort();
      });
    const onScreen = await names();
    assert.ok(onScreen.includes('Humaymah (estimated)'), onScreen.join(', '));
    await page.emulateMedia({ media: 'print' });
    const shown = (selector) => page.locator(selector).first().isVisible();
    assert.equal(await shown('.map'), true, 'the live map prints');
    assert.equal(await shown('.map .strike-icon.story-feature'), true, 'with the story on it');
    for (const gone of ['.share', '.timeline', '.leaflet-control-zoom', '.layer-control summary']) {
      assert.equal(await shown(gone), false, `${gone} is not on paper`);
    }
    // The same names in sight: the same view, scaled to the page.
    assert.deepEqual(await names(), onScreen);
    const box = (selector) => page.locator(selector).first().evaluate((element) => element.getBoundingClientRect().toJSON());
    const [title, map, text] = [await box('h1'), await box('.map'), await box('#article p[id]')];
    assert.ok(title.bottom <= map.top && map.bottom <= text.top, 'headline, map, then the article');
    assert.ok(map.width <= 681 && map.height <= 541, `the map fits the page: ${map.width}×${map.height}`);
    // Nothing beside the scaled map: its frame paints no sea of its own.
    assert.equal(await page.locator('.map-frame').evaluate((frame) => getComputedStyle(frame).backgroundColor), 'rgba(0, 0, 0, 0)');
    // Its legend, for the layers shown.
    assert.equal(await shown('.legend'), true);
    assert.deepEqual(
      await page.locator('.layer-control .layer-switch').evaluateAll((switches) =>
        switches.filter((s) => s.checkVisibility()).map((s) => s.querySelector('input').value),
      ),
      ['places', 'strikes'],
    );
    assert.equal(await shown('.feature-list'), true);
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('.story-sources .source-link'), '::after').content);
    assert.match(after, /attr\(href\)|https?:/, 'source addresses are printed');
    assert.ok((await page.locator('.story-sources .source').count()) >= 10, 'every source is listed');
    await page.screenshot({ path: path.join(ARTIFACTS, 'story-print.png'), fullPage: true });
    await page.pdf({ path: path.join(ARTIFACTS, 'story-print.pdf') });
  } finally {
    await context.close();
  }
});

test('printed without scripts, a story has the server\'s map of its view', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=en&view=8/34.5/39.5`, {
    locale: 'en-GB',
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled: false,
  });
  try {
    await page.emulateMedia({ media: 'print' });
    const map = await page.locator('.first-map').evaluate((element) => element.getBoundingClientRect().toJSON());
    assert.ok(map.width > 500 && map.height > 300, `the drawing is ${map.width}×${map.height}`);
    assert.equal(await page.locator('.first-map .strike-icon').first().isVisible(), true);
    assert.equal(await page.locator('.map-noscript').isVisible(), false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'story-print-noscript.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
