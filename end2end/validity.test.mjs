// The HTML of every kind of page passes the Nu Html Checker (vnu-jar, run
// with the machine's Java) with zero errors, as the server sends it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEED, servedHtmlErrors, startServer } from './support.mjs';

const PAGES = [
  ['index', '/', 'en'],
  ['index-da', '/', 'da'],
  ['about', '/about', 'en'],
  ['about-ar', '/about', 'ar'],
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
  try {
    const messages = await servedHtmlErrors(server.base, PAGES);
    assert.deepEqual(messages, [], messages.join('\n'));
  } finally {
    await server.stop();
  }
});
