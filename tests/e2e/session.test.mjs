// Local session (issue 8, part 2): the experiment and the uploaded file are saved as they change,
// so a reload loses nothing; a link wins over the saved session; a file too large to keep is asked
// for again after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';
import { contentHash, pickFile, textOf, twoClassCsv, uploadAndApply, waitForStep } from './data-helpers.mjs';

test('a reload restores the experiment and the uploaded CSV file', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await waitForStep(page, 1);
    const csv = twoClassCsv({ counts: [90, 25], salt: 9 });
    const hash = await uploadAndApply(page, csv);
    const before = (await snapshot(page)).config;
    await page.reload();
    await waitForStep(page, 1);
    const after = await snapshot(page);
    assert.deepEqual(after.config, before, 'the same experiment after the reload');
    assert.equal(after.config.dataset.source.hash, hash);
    assert.ok(!(await byId(page, 'data-needed').isVisible()), 'the file was kept, nothing is asked');
    assert.equal(after.train_counts.reduce((a, b) => a + b, 0) + after.test_counts.reduce((a, b) => a + b, 0), 115);
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('a link wins over the saved session', async () => {
  const app = await openApp();
  const { page, base } = app;
  try {
    await waitForStep(page, 1);
    await uploadAndApply(page, twoClassCsv({ counts: [50, 20], salt: 5 }));
    await page.goto(`${base}#seed=7`);
    await page.reload();
    await waitForStep(page, 1);
    const config = (await snapshot(page)).config;
    assert.equal(config.dataset.source, undefined, 'the saved upload experiment is not restored over a link');
  } finally {
    await app.close();
  }
});

test('a file too large to keep is asked for again after a reload, and accepted only unchanged', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await waitForStep(page, 1);
    // About 2.6 MB: over the 2 MB kept in storage, well under the 20 MB import limit.
    const rows = ['x,y,label'];
    for (let i = 0; i < 120_000; i++) rows.push(`${(i % 997) / 99.7},${(i % 113) / 11.3},${i % 5 === 0 ? 'b' : 'a'}`);
    const big = Buffer.from(rows.join('\n') + '\n');
    assert.ok(big.length > 2 * 1024 * 1024);
    const hash = await uploadAndApply(page, big, 'big.csv');
    await byId(page, 'storage-notice').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await textOf(page, 'storage-notice'), /not kept in this browser .*drop it again/);

    await page.reload();
    await byId(page, 'data-needed').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await byId(page, 'data-needed').innerText(), new RegExp(hash));
    await screenshot(page, 'session-data-needed');
    // A different file is refused with both hashes.
    await pickFile(page, twoClassCsv({ counts: [40, 10] }), 'other.csv', 'data-needed-input');
    await byId(page, 'data-needed-error').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await textOf(page, 'data-needed-error'), new RegExp(`content hash is ${contentHash(twoClassCsv({ counts: [40, 10] }))}.*needs ${hash}`));
    // The same file is accepted and the experiment applied.
    await pickFile(page, big, 'big.csv', 'data-needed-input');
    await page.waitForFunction(
      (h) => JSON.parse(window.imlab.snapshot()).config.dataset.source?.hash === h,
      hash,
      { timeout: 60_000 },
    );
    await byId(page, 'data-needed').waitFor({ state: 'hidden', timeout: 5_000 });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});
