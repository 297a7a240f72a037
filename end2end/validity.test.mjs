// The HTML of every kind of page passes the Nu Html Checker (vnu-jar, run
// with the machine's Java) with zero errors, as the server sends it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { SEED, startServer } from './support.mjs';

const VNU = path.resolve('node_modules/vnu-jar/build/dist/vnu.jar');

const PAGES = [
  ['index', '/', 'en'],
  ['index-da', '/', 'da'],
  ['story', `/stories/${SEED}`, 'en'],
  ['story-translated', `/stories/${SEED}?lang=en`, 'da'],
  ['deep-link', `/stories/${SEED}/features/blocked-bridge`, 'da'],
  ['deep-link-layers', `/stories/${SEED}/features/arsal?layers=places,route&view=8/34.2/36.6`, 'en'],
  ['embed', `/embed/stories/${SEED}/features/blocked-bridge`, 'en'],
  ['not-found', '/no/such/page', 'en'],
  ['unknown-feature', `/stories/${SEED}/features/no-such-feature`, 'da'],
];

test('every kind of page is valid HTML (Nu Html Checker)', async () => {
  const server = await startServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kort-vnu-'));
  try {
    const files = [];
    for (const [name, url, language] of PAGES) {
      const response = await fetch(`${server.base}${url}`, { headers: { 'accept-language': language } });
      const file = path.join(dir, `${name}.html`);
      writeFileSync(file, await response.text());
      files.push(file);
    }
    const { stderr } = await promisify(execFile)(
      'java',
      ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', '--exit-zero-always', ...files],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const messages = JSON.parse(stderr).messages
      .filter((message) => !checkerPredates(message))
      .map(
        (message) => `${path.basename(new URL(message.url).pathname)}:${message.lastLine}: ${message.type}: ${message.message} — ${message.extract ?? ''}`,
      );
    assert.deepEqual(messages, [], messages.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
});

/**
 * What the checker calls an error only because it predates the standard:
 * `<link rel="expect" blocking="render">`, in the HTML standard since 2023
 * (https://html.spec.whatwg.org/multipage/links.html#link-type-expect), is
 * refused by vnu-jar 26.9.27, the latest, which allows `blocking` only on
 * style sheets. Nothing else is let by.
 */
function checkerPredates(message) {
  return (
    message.message.startsWith('A “link” element with a “blocking” attribute must have a “rel” attribute whose value is “stylesheet”')
    && /<link href="#[\w-]+" rel="expect" blocking="render">/.test(message.extract ?? '')
  );
}
