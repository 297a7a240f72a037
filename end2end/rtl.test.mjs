// Right to left: the journey through a story written in Arabic, with the
// interface in Arabic, at desktop and phone sizes — the layout mirrored,
// time running right to left, mixed Arabic and Latin text in its order —
// and axe and the Nu Html Checker on the Arabic pages.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACTS,
  SEED,
  axeViolationsAt,
  servedHtmlErrors,
  openPage,
  useStoriesCopy,
  waitForMap,
} from './support.mjs';

const ARABIC = 'arsal-convoy-2017-ar';
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'ar', bypassCSP: true };
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'ar', hasTouch: true, isMobile: true, bypassCSP: true };

const shared = useStoriesCopy((dir) => cpSync('tests/stories', dir, { recursive: true }));

/** The box of the first element `selector` finds. */
const box = (page, selector) => page.locator(selector).first().boundingBox();

test('an Arabic story in the Arabic interface is laid out right to left (desktop)', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${ARABIC}`, DESKTOP);
  try {
    await waitForMap(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    // The article at the right, the map at the left; over the map, the
    // layer control at its top left and the zoom buttons at its bottom left.
    const article = await box(page, '#article');
    const map = await box(page, '.map-frame');
    assert.ok(article.x > map.x + map.width - 1, `article at ${article.x}, map ends at ${map.x + map.width}`);
    const layers = await box(page, '.layer-control');
    assert.ok(layers.x < map.x + map.width / 2, `layer control at ${layers.x}`);
    const zoom = await box(page, '.leaflet-control-zoom');
    assert.ok(zoom.x < map.x + map.width / 2 && zoom.y > map.y + map.height / 2, 'zoom at the bottom left');
    assert.equal(await page.getAttribute('.leaflet-control-zoom-in', 'title'), 'تكبير');
    // The islands speak Arabic too.
    assert.equal((await page.textContent('#timeline-title')).trim(), 'الخط الزمني');
    assert.match(await page.textContent('.timeline'), /تشغيل/);
    // Time runs right to left: Qara (28 August) to the right of al-Mayadin
    // (13 September), and "earlier" at the right end.
    const qara = await box(page, '.tl-mark[data-event="qara"]');
    const mayadin = await box(page, '.tl-mark[data-event="al-mayadin"]');
    assert.ok(qara.x > mayadin.x, `Qara at ${qara.x}, al-Mayadin at ${mayadin.x}`);
    const ticks = await page.locator('.tl-tick').allTextContents();
    assert.ok(ticks.some((tick) => /^[٠-٩]+ أغسطس$/.test(tick)), ticks.join(' | '));

    // A feature from the list: its panel at the map's right edge, its
    // title in Arabic, its dates in Arabic-Indic digits.
    await page.click('.feature-list a[data-feature="blocked-bridge"]');
    await page.waitForSelector('.panel h2');
    assert.equal(await page.textContent('.panel h2'), 'الجسر المدمّر شرق حميمة');
    const panel = await box(page, '.panel');
    assert.ok(panel.x + panel.width > map.x + map.width - 40, 'panel at the right');
    assert.match(await page.textContent('.panel .date'), /^٣٠ أغسطس ٢٠١٧$/);
    assert.match(await page.textContent('.panel .uncertainty'), /± ٢٥ كم/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'rtl-desktop-panel.png') });

    // The quote takes the reader to its passage in the article.
    await page.click('.passages a');
    await page.waitForFunction(() => location.hash === '#q-blocked-bridge-1');
    const inView = await page.locator('#q-blocked-bridge-1').evaluate((el) => {
      const passage = el.parentElement.getBoundingClientRect();
      return passage.bottom > 0 && passage.top < window.innerHeight;
    });
    assert.ok(inView, 'the passage is on screen');
    // Escape closes the panel.
    await page.keyboard.press('Escape');
    await page.waitForSelector('.panel', { state: 'detached' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('mixed Arabic and Latin text keeps its order, in either interface', async () => {
  for (const [query, uiDir] of [['', 'rtl'], ['?lang=en', 'ltr']]) {
    const { context, page } = await openPage(
      shared.browser,
      `${shared.server.base}/stories/${ARABIC}/features/t2${query}`,
      DESKTOP,
    );
    try {
      await waitForMap(page);
      assert.equal(await page.getAttribute('html', 'dir'), uiDir);
      // "محطة الضخ T2 (تقديري)": in a right-to-left line the Latin "T2",
      // which follows "محطة" in the text, stands to its left.
      const order = await page.evaluate(() => {
        const title = document.querySelector('.panel h2');
        const text = title.firstChild;
        const rect = (word) => {
          const range = document.createRange();
          const at = text.data.indexOf(word);
          range.setStart(text, at);
          range.setEnd(text, at + word.length);
          return range.getBoundingClientRect();
        };
        return { station: rect('محطة').left, t2: rect('T2').left, estimate: rect('تقديري').left };
      });
      assert.ok(order.t2 < order.station, `T2 at ${order.t2}, محطة at ${order.station} (${query})`);
      assert.ok(order.estimate < order.t2, `تقديري at ${order.estimate}, T2 at ${order.t2} (${query})`);
      // The map's name for assistive technology isolates the Arabic title
      // inside the English sentence.
      if (uiDir === 'ltr') {
        const label = await page.getAttribute('.map-frame', 'aria-label');
        assert.match(label, /^Map of the story “\u2068التحالف.*\u2069”$/);
      }
    } finally {
      await context.close();
    }
  }
});

test('on a phone, the Arabic story reads right to left with nothing off the screen', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${ARABIC}`, PHONE);
  try {
    await waitForMap(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'rtl-phone.png') });
    await page.tap('.feature-list a[data-feature="road-craters"]');
    await page.waitForSelector('.panel h2');
    assert.equal(await page.textContent('.panel h2'), 'حفرة في الطريق شرق حميمة');
    // Its position is published only to a 5 km grid, and the panel says so.
    assert.match(await page.textContent('.panel .protected'), /٥ كم/);
    const panel = await box(page, '.panel');
    assert.ok(panel.x >= -1 && panel.x + panel.width <= 391, `panel from ${panel.x} to ${panel.x + panel.width}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'rtl-phone-panel.png') });
    const overflowNow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflowNow <= 0, `with the panel, the page is ${overflowNow} px wider than the screen`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

const ARABIC_PAGES = [
  ['the story list', '/?lang=ar', false],
  ['the Arabic story', `/stories/${ARABIC}`, true],
  ['a feature of the Arabic story', `/stories/${ARABIC}/features/road-craters`, true],
  ['the seed story in Arabic', `/stories/${SEED}/features/blocked-bridge?lang=ar`, true],
  ['an embed', `/embed/stories/${ARABIC}/features/t2`, true],
  ['the 404 page', '/no/such/page?lang=ar', false],
];

for (const [size, options] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  for (const [name, url, hasMap] of ARABIC_PAGES) {
    test(`axe finds no violations on ${name} in Arabic (${size})`, async () => {
      const violations = await axeViolationsAt(shared.browser, `${shared.server.base}${url}`, options, hasMap);
      assert.deepEqual(violations, [], `${url} at ${size}:\n${violations.join('\n')}`);
    });
  }
}

test('the Arabic pages are valid HTML (Nu Html Checker)', async () => {
  const pages = ARABIC_PAGES.map(([, url], index) => [`arabic-${index}`, url, 'ar']);
  const messages = await servedHtmlErrors(shared.server.base, pages);
  assert.deepEqual(messages, [], messages.join('\n'));
});
