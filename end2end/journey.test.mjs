// The reader's journey, as the walk-through found it wanting: the panel
// takes the focus and gives it back, closing it is not a step of the
// history and stops a playing tour, a selection stands clear of its
// panel, a feature on a hidden layer offers its layer, a passage lands in
// sight below the pinned map on a phone, and the map has its whole world.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { SEED, openPage, settled, useServerAndBrowser, waitForMap } from './support.mjs';

const shared = useServerAndBrowser();
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'en-GB' };
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'en-GB', hasTouch: true, isMobile: true };

test('focus moves into the panel as it opens and back to its opener as it closes', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  try {
    await waitForMap(page);
    const entry = page.locator('.feature-list a[data-feature="qara"]');
    await entry.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.panel h2');
    await page.waitForFunction(() => document.activeElement?.id === 'panel-title');
    // The next stop is the close button, not the fiftieth.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'panel-close');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.panel', { state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-feature') === 'qara');
    // A symbol on the map, by keyboard: Enter opens the panel and moves the
    // focus into it (not to the page's body).
    const symbol = page.locator('.map path.story-feature[data-feature="arsal"]');
    await symbol.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.panel h2');
    await page.waitForFunction(() => document.activeElement?.id === 'panel-title');
    await page.locator('.panel-close').click();
    await page.waitForSelector('.panel', { state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-feature') === 'arsal');
    // Stepping through time, the reader keeps the timeline's control.
    await page.locator('.tl-controls a', { hasText: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.panel h2');
    await page.waitForTimeout(300);
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /Next/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('closing the panel is not a step Back undoes', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  try {
    await waitForMap(page);
    await page.locator('.feature-list a[data-feature="arsal"]').click();
    await page.waitForURL(`**/features/arsal`);
    await page.locator('.panel-close').click();
    await page.waitForURL(`**/stories/${SEED}`);
    await page.goBack();
    // Back leaves the page as it was before the feature was opened:
    // before it, the history has only the story (and then the blank tab).
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.panel').count(), 0, 'Back did not reopen the panel');
  } finally {
    await context.close();
  }
});

test('on a phone, closing the panel stops a playing tour', async () => {
  const url = `${shared.server.base}/stories/${SEED}?at=2017-08-28`;
  const { context, page, problems } = await openPage(shared.browser, url, { ...PHONE, reducedMotion: 'reduce' });
  try {
    await waitForMap(page);
    await page.locator('.tl-controls button', { hasText: 'Play' }).tap();
    await page.waitForSelector('.panel h2');
    await page.locator('.panel-close').tap();
    await page.waitForSelector('.panel', { state: 'detached' });
    // The tour steps every 3.5 s: after longer than that, it has not
    // reopened the panel, and Play is offered again.
    await page.waitForTimeout(4200);
    assert.equal(await page.locator('.panel').count(), 0);
    assert.equal(await page.locator('.tl-controls button[aria-pressed]').getAttribute('aria-pressed'), 'false');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a phone, a passage opened from the panel lands below the pinned map', async () => {
  const url = `${shared.server.base}/stories/${SEED}/features/blocked-bridge`;
  const { context, page } = await openPage(shared.browser, url, PHONE);
  try {
    await waitForMap(page);
    await page.locator('.panel .passages a').first().tap();
    await page.waitForFunction(() => location.hash === '#q-blocked-bridge-1');
    await page.waitForTimeout(300);
    const { passage, map } = await page.evaluate(() => ({
      passage: document.querySelector('#q-blocked-bridge-1').parentElement.getBoundingClientRect().toJSON(),
      map: document.querySelector('.map-stage').getBoundingClientRect().toJSON(),
    }));
    assert.ok(passage.top >= map.bottom - 1, `the passage at ${passage.top}, under the map ending at ${map.bottom}`);
    assert.ok(passage.top < 844, 'the passage is on screen');
  } finally {
    await context.close();
  }
});

test('on a phone, the headline opens the page, one finger on the map scrolls it and two move the map', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=en`, PHONE);
  try {
    await waitForMap(page);
    // The headline and the summary's first lines, on the first screen.
    const first = await page.evaluate(() => ({
      title: document.querySelector('h1').getBoundingClientRect().toJSON(),
      summary: document.querySelector('.summary').getBoundingClientRect().toJSON(),
    }));
    assert.ok(first.title.top >= 0 && first.title.bottom <= 844, `the headline at ${first.title.top}–${first.title.bottom}`);
    assert.ok(first.summary.top + 40 <= 844, `the summary starts at ${first.summary.top}`);
    // Scrolled to the article, the map is pinned over it; a swipe up that
    // starts on the map reads on, and leaves the map where it was.
    await page.evaluate(() => document.querySelector('#article p[id]').scrollIntoView());
    const pane = () => page.locator('.leaflet-map-pane').evaluate((element) => element.style.transform);
    const before = { pane: await pane(), scroll: await page.evaluate(() => scrollY) };
    const map = await page.locator('.map').boundingBox();
    const cdp = await context.newCDPSession(page);
    // Fingers on the screen, moved together from `from` to `to` (one
    // point per finger) in steps, as a reader's would.
    const touch = async (from, to) => {
      const at = (step) => from.map(([x, y], finger) => ({
        x: x + ((to[finger][0] - x) * step) / 12,
        y: y + ((to[finger][1] - y) * step) / 12,
      }));
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
      for (let step = 1; step <= 12; step += 1) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(step) });
        await page.waitForTimeout(16);
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    const [x, y] = [map.x + map.width / 2, map.y + map.height * 0.6];
    await touch([[x, y]], [[x, y - 200]]);
    await page.waitForTimeout(300);
    assert.ok((await page.evaluate(() => scrollY)) > before.scroll + 100, 'the page scrolled');
    assert.equal(await pane(), before.pane, 'the map did not move');
    assert.equal(await page.locator('.map-hint').innerText(), 'Move the map with two fingers');
    // Two fingers spread on the map: it zooms in, and the page stays.
    const scroll = await page.evaluate(() => scrollY);
    const zoom = () => page.evaluate(() => new URL(location).searchParams.get('view'));
    const middle = map.y + map.height / 2;
    await touch([[x - 40, middle], [x + 40, middle]], [[x - 150, middle], [x + 150, middle]]);
    await page.waitForFunction(() => new URL(location).searchParams.has('view'));
    assert.match(await zoom(), /^(7|8)(\.\d+)?\//, 'the map zoomed in');
    // A pixel of the swipe's fling may still land; a page moved by the
    // pinch would have moved by tens.
    const moved = Math.abs((await page.evaluate(() => scrollY)) - scroll);
    assert.ok(moved <= 2, `the page moved ${moved} px`);
    // While the swipe's fling still scrolls the page, Chromium will not let
    // Leaflet's pinch handler cancel the touch, and says so in the console:
    // a note from the browser, not an error of the page (the pinch zoomed
    // the map, above).
    const intervention = /^console: Ignored attempt to cancel a touch(start|move) event with cancelable=false/;
    assert.deepEqual(problems.filter((problem) => !intervention.test(problem)), []);
  } finally {
    await context.close();
  }
});

test('a selected feature stands clear of its panel at 1280 px, in either direction', async () => {
  for (const lang of ['en', 'ar']) {
    const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=${lang}`, DESKTOP);
    try {
      await waitForMap(page);
      await page.locator('.feature-list a[data-feature="convoy-route"]').click();
      await page.waitForSelector('.panel h2');
      await page.waitForTimeout(1500);
      const clear = await page.evaluate(() => {
        const route = document.querySelector('.map path.story-feature[data-feature="convoy-route"]').getBoundingClientRect();
        const panel = document.querySelector('.panel').getBoundingClientRect();
        const map = document.querySelector('.map-frame').getBoundingClientRect();
        const left = Math.max(route.left, map.left);
        const right = Math.min(route.right, map.right);
        const under = Math.max(0, Math.min(right, panel.right) - Math.max(left, panel.left));
        return (right - left - under) / route.width;
      });
      assert.ok(clear > 0.95, `${lang}: ${Math.round(clear * 100)}% of the route is in the clear`);
    } finally {
      await context.close();
    }
  }
});

test('a feature on a hidden layer offers its layer; the layer control gives way to the map', async () => {
  const url = `${shared.server.base}/stories/${SEED}/features/blocked-bridge?layers=places`;
  const { context, page, problems } = await openPage(shared.browser, url, DESKTOP);
  try {
    await waitForMap(page);
    assert.equal(await page.locator('.map [data-feature="blocked-bridge"]').count(), 0);
    assert.match(await page.locator('.panel .panel-hidden').innerText(), /Its layer is hidden on the map\. Show it/);
    await page.locator('.panel .panel-hidden a').click();
    await page.waitForSelector('.map [data-feature="blocked-bridge"]');
    assert.equal(await page.locator('.panel .panel-hidden').count(), 0);
    assert.equal(await page.locator('.layer-control input[value="strikes"]').isChecked(), true);
    // Opened over the map, the layer control closes at a tap on the map.
    await page.locator('.layer-control summary').click();
    assert.equal(await page.locator('.layer-control').getAttribute('open'), '');
    const map = await page.locator('.map-frame').boundingBox();
    // Between the panel (at the left) and the open control (at the right).
    await page.mouse.click(map.x + map.width * 0.6, map.y + map.height * 0.6);
    await page.waitForFunction(() => !document.querySelector('.layer-control').open);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('layers naming none of the story\'s show every layer, not an empty map', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?layers=nope`, DESKTOP);
  try {
    await waitForMap(page);
    for (const id of ['arsal-enclave', 'convoy-route', 'arsal', 'blocked-bridge']) {
      assert.ok((await page.locator(`.map [data-feature="${id}"]`).count()) > 0, `${id} is on the map`);
    }
  } finally {
    await context.close();
  }
});

// What a click at the middle of each story symbol on the map would reach:
// the feature of the element on top there, or why it was not checked.
function symbolHits() {
  const map = document.querySelector('.map').getBoundingClientRect();
  const symbols = [
    ...document.querySelectorAll('.map .leaflet-marker-icon.strike-icon.story-feature svg'),
    ...document.querySelectorAll('.map path.story-feature.story-dot'),
  ];
  return symbols.map((symbol) => {
    const feature = symbol.closest('[data-feature]').dataset.feature;
    const box = symbol.getBoundingClientRect();
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
    // Leaflet leaves out what lies outside the map.
    if (box.width === 0 || x < map.left || x > map.right || y < map.top || y > map.bottom) return { feature, hit: 'off the map' };
    const top = document.elementFromPoint(x, y);
    if (top?.closest('.leaflet-control')) return { feature, hit: 'under a control' };
    return { feature, hit: top?.closest('[data-feature]')?.dataset.feature ?? top?.tagName };
  });
}

test('a click on any story symbol opens its own feature, at every zoom: strikes stand clear of places', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, DESKTOP);
  try {
    await waitForMap(page);
    // At the opening zoom, Humaymah's dot lies under both strikes' points.
    const dot = await page.locator('.map path.story-dot[data-feature="humaymah"]').boundingBox();
    await page.mouse.click(dot.x + dot.width / 2, dot.y + dot.height / 2);
    await page.waitForURL('**/features/humaymah');
    assert.equal(await page.locator('.panel h2').innerText(), 'Humaymah (estimated)');
    for (let zoom = 5; zoom <= 12; zoom += 1) {
      await page.goto(`${shared.server.base}/stories/${SEED}?view=${zoom}/34.5/39.87`);
      await waitForMap(page);
      // The symbols stand aside in the frame after the zoom.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const hits = await page.evaluate(symbolHits);
      const checked = hits.filter(({ hit }) => hit !== 'off the map' && hit !== 'under a control');
      assert.ok(checked.some(({ feature }) => feature === 'humaymah'), `zoom ${zoom}: ${JSON.stringify(hits)}`);
      for (const { feature, hit } of checked) {
        assert.equal(hit, feature, `at zoom ${zoom}, a click on ${feature} reaches ${hit}`);
      }
      // Standing aside, a strike stays near its point: a long move along
      // the road would put it in the next town, or across the border.
      const moves = await page.evaluate(() =>
        [...document.querySelectorAll('.map .strike-icon')].map((icon) =>
          Math.round(Math.hypot(parseFloat(icon.style.marginLeft) + 22, parseFloat(icon.style.marginTop) + 22)),
        ),
      );
      assert.ok(moves.every((px) => px <= 70), `at zoom ${zoom}, strikes moved ${moves} px from their points`);
    }
  } finally {
    await context.close();
  }
});

test('the map has its world beyond the region, and the legend draws strikes as the map does', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?view=4/34.5/38.5`, DESKTOP);
  try {
    await waitForMap(page);
    await page.waitForSelector('.map path.basemap-world');
    // The countries around the region are drawn as land.
    const fill = await page.evaluate(() => {
      const paths = [...document.querySelectorAll('.map path.basemap-world')];
      return paths.length > 20 && getComputedStyle(paths[0]).fill;
    });
    assert.equal(fill, 'rgb(244, 241, 234)');
    const swatch = await page.locator('.legend-title').evaluate(() => {
      const strike = document.querySelector('.swatch-strike');
      return { clip: getComputedStyle(strike).clipPath, transform: getComputedStyle(strike).transform };
    });
    assert.match(swatch.clip, /^polygon\(/);
    assert.equal(swatch.transform, 'none');
  } finally {
    await context.close();
  }
});

test('at 1920 px the article keeps a reading measure', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}`, {
    ...DESKTOP,
    viewport: { width: 1920, height: 1080 },
  });
  try {
    await waitForMap(page);
    const width = await page.locator('#article p[id]').first().evaluate((p) => p.getBoundingClientRect().width);
    assert.ok(width <= 672.5, `a paragraph is ${width} px wide`);
    // No name on the map is cut by its edge.
    const cut = await settled(page, () => {
      const map = document.querySelector('.map').getBoundingClientRect();
      return [...document.querySelectorAll('.map .leaflet-marker-icon.basemap-label, .map .leaflet-marker-icon.place-label')]
        .filter((icon) => getComputedStyle(icon).visibility !== 'hidden')
        .map((icon) => [icon.textContent, icon.firstElementChild.getBoundingClientRect()])
        .filter(([, box]) => box.left < map.left || box.right > map.right || box.top < map.top || box.bottom > map.bottom)
        .map(([name]) => name);
    });
    assert.deepEqual(cut, []);
  } finally {
    await context.close();
  }
});

test('an embed leaves the wheel to the host page, zooms with Ctrl, and keeps its credit whole', async () => {
  const { context, page, problems } = await openPage(shared.browser, 'about:blank', DESKTOP);
  let hostServer;
  try {
    // A host page on another origin (a server of the test's own, on the
    // loopback): text, the embed at 600×400, more text.
    const filler = '<p style="height:900px">Host text</p>';
    const body = `<!doctype html><html lang="en"><title>Host</title>${filler}<iframe title="Map" src="${shared.server.base}/embed/stories/${SEED}" width="600" height="400"></iframe>${filler}</html>`;
    hostServer = http.createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(body);
    });
    await new Promise((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
    await page.goto(`http://127.0.0.1:${hostServer.address().port}/article`);
    const frame = page.frameLocator('iframe');
    const iframe = page.locator('iframe');
    // The map starts as it comes into sight.
    await iframe.scrollIntoViewIfNeeded();
    await frame.locator('.map-frame[data-ready="true"]').waitFor({ state: 'attached', timeout: 20_000 });
    const zoom = () =>
      frame.locator('.map').evaluate(() => new URL(location.href).searchParams.get('view'));
    const box = await iframe.boundingBox();
    await page.mouse.move(box.x + 300, box.y + 200);
    const before = await page.evaluate(() => window.scrollY);
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(500);
    assert.ok((await page.evaluate(() => window.scrollY)) > before, 'the host page scrolled');
    assert.equal(await frame.locator('.map-hint').isVisible(), true, 'the map says how to zoom');
    assert.equal(await zoom(), null, 'the map did not zoom');
    await iframe.scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    const at = await iframe.boundingBox();
    await page.mouse.move(at.x + 300, at.y + 200);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    // The map writes the view it was zoomed to into its address.
    await frame.locator('.map').evaluate(
      () =>
        new Promise((resolve, reject) => {
          const deadline = Date.now() + 5000;
          const look = () => {
            if (new URL(location.href).searchParams.get('view')) resolve();
            else if (Date.now() > deadline) reject(new Error('no view in the address'));
            else setTimeout(look, 50);
          };
          look();
        }),
    );
    assert.match((await zoom()) ?? '', /^\d+\//, 'Ctrl + wheel zoomed the map');
    assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'and did not scroll the page');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    hostServer?.close();
  }
  for (const [width, height] of [[300, 300], [600, 400]]) {
    const embed = await openPage(shared.browser, `${shared.server.base}/embed/stories/${SEED}`, {
      ...DESKTOP,
      viewport: { width, height },
    });
    try {
      await waitForMap(embed.page);
      const more = await embed.page.locator('.embed-more').boundingBox();
      assert.ok(more.x >= 0 && more.x + more.width <= width + 0.5, `at ${width} px the credit ends at ${more.x + more.width}`);
      assert.match(await embed.page.locator('.embed-more').innerText(), /read the story on kort/);
    } finally {
      await embed.context.close();
    }
  }
});

test('the countries are named in the reader\'s language, and zoomed in far a locator shows where the map is', async () => {
  const countries = (page) =>
    settled(page, () =>
      [...document.querySelectorAll('.map .leaflet-marker-icon.country-label:not(.label-hidden) > span')]
        .map((name) => [name.textContent, name.lang])
        .sort(),
    );
  for (const [lang, expected] of [
    ['en', [['Iraq', 'en'], ['Jordan', 'en'], ['Syria', 'en']]],
    ['da', [['Irak', 'da'], ['Jordan', 'da'], ['Syrien', 'da']]],
    ['ar', [['الأردن', 'ar'], ['العراق', 'ar'], ['سوريا', 'ar']]],
  ]) {
    const { context, page, problems } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=${lang}&view=6/33.8/39`, DESKTOP);
    try {
      await waitForMap(page);
      const named = await countries(page);
      for (const country of expected) {
        assert.ok(named.some(([name, tag]) => name === country[0] && tag === country[1]), `${lang}: ${JSON.stringify(named)}`);
      }
      // The story's own names come first: none is left out for a country's.
      const story = await page.locator('.map .place-label:not(.label-hidden)').count();
      assert.ok(story >= 4, `${story} story names`);
      assert.equal(await page.locator('.map .locator').isVisible(), false, 'no locator at the region\'s zoom');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
  // Zoomed in on Arsal: the inset shows the region, and where the map is in it.
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=en&view=11/34.18/36.42`, DESKTOP);
  try {
    await waitForMap(page);
    await page.waitForSelector('.map .locator', { state: 'visible' });
    const [inset, view] = await page.evaluate(() => [
      document.querySelector('.locator svg').getBoundingClientRect().toJSON(),
      document.querySelector('.locator-view').getBoundingClientRect().toJSON(),
    ]);
    // Arsal is in Lebanon, on the inset's western half.
    assert.ok(view.left > inset.left && view.right < inset.left + inset.width / 2, JSON.stringify({ inset, view }));
    assert.ok(view.top > inset.top && view.bottom < inset.bottom);
    // It takes no click from the map under it.
    assert.equal(await page.locator('.locator').evaluate((element) => getComputedStyle(element).pointerEvents), 'none');
    // A move follows.
    await page.locator('.leaflet-control-zoom-out').click();
    await page.waitForURL(/view=10\//);
    const after = await settled(page, () => document.querySelector('.locator-view').getBoundingClientRect().width);
    assert.ok(after > view.width, `the outline grows as the map zooms out: ${view.width} → ${after}`);
  } finally {
    await context.close();
  }
});

test('in the dark scheme the map is dark, with names, controls and marks made for it', async () => {
  const { context, page } = await openPage(shared.browser, `${shared.server.base}/stories/${SEED}?lang=en`, {
    ...DESKTOP,
    colorScheme: 'dark',
  });
  try {
    await waitForMap(page);
    const colours = await page.evaluate(() => {
      const style = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
      return {
        land: style('.map path.basemap-land', 'fill'),
        world: style('.map path.basemap-world', 'fill'),
        name: style('.map .basemap-label > span', 'color'),
        attribution: style('.leaflet-control-attribution', 'backgroundColor'),
        zoom: style('.leaflet-control-zoom-in', 'backgroundColor'),
        mark: style('.tl-mark', 'boxShadow'),
      };
    });
    const luminance = (rgb) => {
      const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((c) => {
        const v = Number(c) / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    assert.equal(colours.land, 'rgb(46, 44, 40)');
    assert.equal(colours.world, colours.land);
    assert.ok(contrast(colours.name, colours.land) >= 4.5, `names on land: ${contrast(colours.name, colours.land).toFixed(2)}`);
    assert.ok(luminance(colours.attribution) < 0.05, `the credits' bar: ${colours.attribution}`);
    assert.ok(luminance(colours.zoom) < 0.05, `the zoom buttons: ${colours.zoom}`);
    assert.match(colours.mark, /rgba?\(236, 233, 227/);
    await page.screenshot({ path: 'target/e2e-artifacts/story-dark.png' });
  } finally {
    await context.close();
  }
});
