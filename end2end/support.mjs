// Shared by the browser tests: the real kort server on a free loopback port,
// and Debian's Chromium driven by playwright-core.
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { launchBrowser } from './browser.mjs';

export { launchBrowser };

export const SEED = 'arsal-convoy-2017';
export const ARTIFACTS = path.resolve('target/e2e-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`kort did not become healthy at ${base} within ${timeoutMs} ms`);
}

/** Starts `target/release/kort serve` on a free port; returns its base URL and a stop function. */
export async function startServer(env = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('target/release/kort', ['serve'], {
    env: { ...process.env, RUST_LOG: 'warn', ...env, KORT_ADDR: `127.0.0.1:${port}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await Promise.race([
    waitUntilHealthy(base, 20_000),
    exited.then((code) => {
      throw new Error(`kort exited early with ${code}`);
    }),
  ]);
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Opens a page and collects its console errors and failed requests. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(url);
  return { context, page, problems };
}

/**
 * Waits until every story feature is drawn and clickable (the map sets
 * `data-ready`) and the page's other islands, which start after the map
 * (the timeline, the share button), have started (`kort-page-ready`).
 */
export async function waitForMap(page) {
  await page.waitForSelector('.map-frame[data-ready="true"]', { timeout: 20_000 });
  await waitForPage(page);
}

/**
 * What `read` sees on the page once the map has settled: the same in two
 * frames in a row (tried for up to 120 frames). Names are sorted out in an
 * animation frame after each change, and a change may still be on its way
 * (a basemap file, the end of a zoom). `read` runs in the page and returns
 * something JSON can hold.
 */
export async function settled(page, read) {
  let last;
  for (let frame = 0; frame < 120; frame += 1) {
    // Read after a frame and its callbacks (the names' pass among them).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
    const seen = await page.evaluate(read);
    if (last !== undefined && JSON.stringify(seen) === JSON.stringify(last)) return seen;
    last = seen;
  }
  throw new Error('the map never settled');
}

/** Waits until every island of the page has started (the `kort-page-ready` mark). */
export async function waitForPage(page) {
  await page.waitForFunction(() => performance.getEntriesByName('kort-page-ready').length > 0, null, {
    timeout: 20_000,
  });
}

/**
 * Starts a server and a browser before the file's tests and stops them after;
 * the returned object holds `server` and `browser` once they are up.
 */
export function useServerAndBrowser(env = {}) {
  const shared = {};
  before(async () => {
    shared.server = await startServer(env);
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

/**
 * As `useServerAndBrowser`, with the server on a copy of `data/stories` in
 * a folder of its own, which `prepare` (given the folder) may add stories
 * to first; the folder is removed after. `shared.dir` is the folder.
 */
export function useStoriesCopy(prepare) {
  const shared = {};
  before(async () => {
    shared.dir = mkdtempSync(path.join(os.tmpdir(), 'kort-stories-'));
    cpSync('data/stories', shared.dir, { recursive: true });
    await prepare(shared.dir);
    shared.server = await startServer({ KORT_DATA: shared.dir });
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
    rmSync(shared.dir, { recursive: true, force: true });
  });
  return shared;
}

const AXE = path.resolve('node_modules/axe-core/axe.min.js');

/** Runs axe-core on the page for WCAG 2.2 A/AA and best practice; returns the violations in words. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n    ` +
        violation.nodes
          .slice(0, 5)
          .map((node) => `${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ')}`)
          .join('\n    '),
    );
  });
}

/**
 * Opens `url` with the context `options` (axe needs `bypassCSP`), waits
 * for its map if it has one, and returns axe's violations in words.
 */
export async function axeViolationsAt(browser, url, options, hasMap) {
  const { context, page } = await openPage(browser, url, options);
  try {
    if (hasMap) await waitForMap(page);
    return await axeViolations(page);
  } finally {
    await context.close();
  }
}

const VNU = path.resolve('node_modules/vnu-jar/build/dist/vnu.jar');

/**
 * The Nu Html Checker's errors in the HTML `files` (vnu-jar, run with the
 * machine's Java), one line each; none for valid HTML.
 */
export async function htmlErrors(files) {
  const { stderr } = await promisify(execFile)(
    'java',
    ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', '--exit-zero-always', ...files],
    { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stderr).messages
    .filter((message) => !checkerPredates(message))
    .map(
      (message) => `${path.basename(new URL(message.url).pathname)}:${message.lastLine}: ${message.type}: ${message.message} — ${message.extract ?? ''}`,
    );
}

/**
 * The Nu Html Checker's errors in the HTML the server at `base` sends for
 * `pages` (each `[name, address, Accept-Language]`), as `htmlErrors`.
 */
export async function servedHtmlErrors(base, pages) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kort-vnu-'));
  try {
    const files = [];
    for (const [name, url, language] of pages) {
      const response = await fetch(`${base}${url}`, { headers: { 'accept-language': language } });
      const file = path.join(dir, `${name}.html`);
      writeFileSync(file, await response.text());
      files.push(file);
    }
    return await htmlErrors(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What an independent validator finds wrong with the Atom feeds in
 * `files`: jing (Debian's), against RFC 4287's own schema (`atom.rnc`);
 * one line each, none for valid feeds.
 */
export async function atomErrors(files) {
  try {
    await promisify(execFile)('jing', ['-c', path.resolve('end2end/atom.rnc'), ...files], { timeout: 60_000 });
    return [];
  } catch (failed) {
    if (failed.code === 'ENOENT') throw new Error('jing is not installed (apt-get install jing; cargo xtask setup does)');
    return failed.stdout.split('\n').filter((line) => line.trim() !== '');
  }
}

/**
 * What the checker calls an error only because it predates the standard:
 * `<link rel="expect" blocking="render">`, in the HTML standard since 2023
 * (https://html.spec.whatwg.org/multipage/links.html#link-type-expect), is
 * refused by vnu-jar 26.9.27, the latest, which allows `blocking` only on
 * style sheets; and its CSS checker does not know container queries
 * (`@container`, CSS Containment Level 3, in every browser since 2023),
 * which the map the server draws uses in its own rules. Nothing else is
 * let by.
 */
function checkerPredates(message) {
  return (
    (message.message.startsWith('A “link” element with a “blocking” attribute must have a “rel” attribute whose value is “stylesheet”')
      && /<link href="#[\w-]+" rel="expect" blocking="render">/.test(message.extract ?? ''))
    || (message.message.startsWith('CSS: Unrecognized at-rule “@container”') && /@container map \($/.test(message.extract ?? ''))
  );
}

/** The desk's accounts in the tests: a publisher and an editor. */
export const PUBLISHER = { name: 'anna', password: 'correct horse battery staple' };
export const EDITOR = { name: 'bo', password: 'another long passphrase' };

/**
 * Starts kort with a desk on a copy of the stories, in a folder of its own
 * (accounts made with `kort user add`, the password on standard input);
 * returns the server and a function that stops it and removes the folder.
 */
export async function startDesk() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kort-desk-'));
  cpSync('data/stories', path.join(dir, 'stories'), { recursive: true });
  const users = path.join(dir, 'users.toml');
  for (const [account, role] of [[PUBLISHER, 'publisher'], [EDITOR, 'editor']]) {
    await new Promise((resolve, reject) => {
      const child = spawn('target/release/kort', ['user', 'add', account.name, '--role', role], {
        env: { ...process.env, KORT_USERS: users },
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kort user add: ${code}`))));
      child.stdin.end(`${account.password}\n`);
    });
  }
  const server = await startServer({
    KORT_DATA: path.join(dir, 'stories'),
    KORT_DRAFTS: path.join(dir, 'drafts'),
    KORT_USERS: users,
  });
  return {
    server,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in at the desk's form, by keyboard, as `account` (in any language). */
export async function signIn(page, base, account) {
  await page.goto(`${base}/desk/login`);
  await page.locator('#name').fill(account.name);
  await page.locator('#password').fill(account.password);
  await page.locator('#password').press('Enter');
  await page.waitForURL(`${base}/desk`);
}
