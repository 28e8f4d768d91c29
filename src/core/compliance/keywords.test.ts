import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keywordOf } from './keywords.js';

test('keywords alone, in any case and a few languages', () => {
  for (const text of ['STOP', 'stop', ' Stop! ', 'Arrêt', 'stopp', 'BAJA', 'unsubscribe.', 'Opt-out']) assert.equal(keywordOf(text), 'stop', text);
  for (const text of ['START', 'unstop', 'Yes']) assert.equal(keywordOf(text), 'start', text);
  for (const text of ['help?', 'Aide', 'HILFE']) assert.equal(keywordOf(text), 'help', text);
});

test('a sentence with a keyword in it is not a keyword', () => {
  for (const text of ["please don't stop", 'STOP sending me this', 'stopper', '']) assert.equal(keywordOf(text), undefined, text);
});
