// The map at first paint: the server draws the story's map into the page,
// where Leaflet will draw it, and Leaflet takes over with no visible jump.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ARTIFACTS, SEED, openPage, useServerAndBrowser, waitForMap } from './support.mjs';

const shared = useServerAndBrowser();

/** What is not the map's drawing: controls, and the line that says the map needs scripts to move. */
const ONLY_THE_MAP = '.leaflet-control-container, .map-noscript, .layer-control, .map-hint { visibility: hidden !important; }';

/** Names on the map (their places are decided on each side: see below). */
const NO_NAMES = '.place-label, .basemap-label { visibility: hidden !important; }';

/** A screenshot of the map's frame, with `style` added. */
async function mapShot(page, style = '') {
  const box = await page.locator('.map-frame').boundingBox();
  return page.screenshot({ clip: box, style: ONLY_THE_MAP + style });
}

/**
 * How much two screenshots of the same size differ, measured in the browser:
 * the share of pixels whose colour moved by more than `tolerance` (the sum
 * of the three channels' differences), and the same after each pixel of one
 * is compared with the best of the other's within `shift` px (what a
 * position off by a pixel or two leaves).
 */
async function difference(page, a, b) {
  return page.evaluate(async ([a, b]) => {
    const load = async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      return context.getImageData(0, 0, image.width, image.height);
    };
    const [one, two] = [await load(a), await load(b)];
    if (one.width !== two.width || one.height !== two.height) return { sameSize: false };
    const { width, height } = one;
    const at = (data, x, y) => (y * width + x) * 4;
    const distance = (p, q) =>
      Math.abs(one.data[p] - two.data[q]) + Math.abs(one.data[p + 1] - two.data[q + 1]) + Math.abs(one.data[p + 2] - two.data[q + 2]);
    let changed = 0;
    let moved = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = at(one, x, y);
        if (distance(p, p) <= 60) continue;
        changed++;
        let best = Infinity;
        for (let dy = -2; dy <= 2 && best > 60; dy++) {
          for (let dx = -2; dx <= 2 && best > 60; dx++) {
            const [nx, ny] = [x + dx, y + dy];
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            best = Math.min(best, distance(p, at(two, nx, ny)));
          }
        }
        if (best > 60) moved++;
      }
    }
    return { sameSize: true, changed: changed / (width * height), unmatched: moved / (width * height) };
  }, [a.toString('base64'), b.toString('base64')]);
}

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
]) {
  test(`the server's map is where Leaflet draws it, and the takeover does not jump (${name})`, async () => {
    const url = `${shared.server.base}/stories/${SEED}?lang=en`;
    // Before kort's bundle runs: the page as the server sent it, laid out
    // as it will be (the bundle is held back, so Leaflet never starts).
    const still = await openPage(shared.browser, 'about:blank', { viewport });
    await still.page.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await still.page.goto(url);
    assert.equal(await still.page.locator('.first-map').count(), 1, 'the server drew the map');
    assert.equal(await still.page.locator('.first-map').getAttribute('aria-hidden'), 'true', 'not announced beside the live map');
    // The story's symbols are on it: the strikes, the places with their names.
    assert.ok((await still.page.locator('.first-map .strike-icon').count()) >= 2);
    // (On a phone, Humaymah's long name leaves Arsal's no room at the
    // opening zoom, on both drawings.)
    const named = await still.page.locator('.first-map .place-label').evaluateAll((names) =>
      names.filter((name) => getComputedStyle(name).visibility !== 'hidden').map((name) => name.textContent),
    );
    assert.ok(named.includes('Qara') && named.length >= 4, `story names on the server's map: ${named}`);
    const before = await mapShot(still.page);
    const beforeShapes = await mapShot(still.page, NO_NAMES);
    await writeFile(path.join(ARTIFACTS, `first-paint-${name}-server.png`), before);
    await still.context.close();

    // With scripts: Leaflet draws, then the server's drawing is taken away.
    const live = await openPage(shared.browser, url, { viewport });
    await waitForMap(live.page);
    assert.equal(await live.page.locator('.first-map').count(), 0, 'taken away once Leaflet drew the map');
    // Names are sorted out in an animation frame after the layers arrive.
    await live.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    // On a loaded machine Chromium may raster the map's SVG some frames
    // after it is in the page (the elements are all there): the test
    // compares where things are drawn, not how fast a busy machine paints.
    await live.page.waitForTimeout(300);
    const after = await mapShot(live.page);
    const afterShapes = await mapShot(live.page, NO_NAMES);
    await writeFile(path.join(ARTIFACTS, `first-paint-${name}-leaflet.png`), after);

    // Every shape and symbol where Leaflet draws it: within 2 px, but for a
    // few pixels in a thousand (Leaflet simplifies a line at the zoom it
    // draws, the server at one zoom for all sizes).
    const shapes = await difference(live.page, beforeShapes, afterShapes);
    assert.ok(shapes.sameSize, 'the same frame');
    assert.ok(shapes.unmatched < 0.005, `${(shapes.unmatched * 100).toFixed(3)} % of the shapes' pixels moved or changed`);
    // Names: the server estimates how long each is and does not know the
    // map's exact size, so a name near an edge or a neighbour may stand
    // elsewhere, or be left out, on one of the two.
    await writeFile(path.join(ARTIFACTS, `first-paint-${name}-server-shapes.png`), beforeShapes);
    await writeFile(path.join(ARTIFACTS, `first-paint-${name}-leaflet-shapes.png`), afterShapes);
    const all = await difference(live.page, before, after);
    assert.ok(all.unmatched < 0.02, `${(all.unmatched * 100).toFixed(2)} % of the map's pixels moved or changed`);
    console.log(`${name}: shapes ${(shapes.unmatched * 100).toFixed(3)} %, with names ${(all.unmatched * 100).toFixed(2)} %`);
    assert.deepEqual(live.problems, []);
    await live.context.close();
  });
}

test("the server's map follows the address: view, layers, time and selection", async () => {
  const base = `${shared.server.base}/stories/${SEED}`;
  const { context, page } = await openPage(
    shared.browser,
    `${base}/features/blocked-bridge?layers=route,strikes&lang=en`,
    { javaScriptEnabled: false, viewport: { width: 1280, height: 800 } },
  );
  // The areas layer is hidden, the bridge's strike drawn larger.
  assert.equal(await page.locator('.first-map .place-label', { hasText: 'Arsal' }).count(), 0);
  assert.equal(await page.locator('.first-map .strike-icon.selected').count(), 1);
  await context.close();
});
