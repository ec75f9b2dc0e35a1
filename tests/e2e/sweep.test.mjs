// Sweeps in the browser (Sweep panel): a 3 × 3 sweep completes with a table and a plot, and its CSV
// is byte for byte the file `imlab sweep` writes for the same base link, methods, seeds and epochs;
// Cancel stops mid-sweep and keeps the finished runs; a paper preset gives the CLI preset's file.
//
// The panel trains on the CPU path here ("Train on": CPU); WebGPU sweeps are in sweep-gpu.test.mjs.
// The expected files come from the native CLI (target/debug/imlab, built by `cargo build -p
// imlab-cli` if missing). Byte equality holds because both train on the engine's CPU path, which is
// bit-identical native and wasm32, and write rows with the same engine code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imlabSweep as imlab } from './cli.mjs';
import { SHOTS, byId, openApp } from './harness.mjs';

/** The text behind a `data:` link. */
async function dataLinkText(page, id) {
  const href = await byId(page, id).getAttribute('href');
  assert.ok(href?.startsWith('data:text/csv;charset=utf-8,'), `${id} is a CSV data link: ${href?.slice(0, 40)}`);
  return decodeURIComponent(href.slice(href.indexOf(',') + 1));
}

/** The rows of `imlab sweep`'s CSV (no quoted commas in these files). */
const csvRows = (text) => text.trim().split('\n').map((l) => l.split(','));

async function openSweep() {
  const app = await openApp();
  await byId(app.page, 'step').waitFor({ timeout: 30_000 });
  await byId(app.page, 'sweep').scrollIntoViewIfNeeded();
  // Byte equality with the CLI needs the CPU path (WebGPU sweeps: sweep-gpu.test.mjs).
  await byId(app.page, 'sweep-backend').selectOption('cpu');
  return app;
}

async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
}

test('a 3 methods × 3 seeds sweep completes with table and plot, and exports the CLI file', async () => {
  const app = await openSweep();
  const { page } = app;
  try {
    for (const m of ['baseline', 'ros', 'focal']) {
      assert.ok(await byId(page, `sweep-method-${m}`).isChecked(), `${m} is ticked by default`);
    }
    await byId(page, 'sweep-seeds').fill('3');
    await byId(page, 'sweep-epochs').fill('5');
    await watchLongTasks(page);
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sweep-status"]')?.textContent.includes('All 9 runs done'),
      null,
      { timeout: 180_000 },
    );
    assert.equal(await byId(page, 'sweep-progress').evaluate((p) => p.value), 1, 'progress bar full');
    assert.match(await byId(page, 'sweep-backend-note').textContent(), /CPU path: the same numbers, byte for byte, as imlab sweep/);

    // Table: one row per method, 3 seeds each, five scores with mean, sd and interval.
    const table = byId(page, 'sweep-table');
    await table.waitFor();
    for (const m of ['baseline', 'ros', 'focal']) {
      const cells = await byId(page, `sweep-row-${m}`).locator('td').allInnerTexts();
      assert.equal(cells.length, 6, `${m}: n and five scores`);
      assert.equal(cells[0].trim(), '3', `${m}: three seeds`);
      for (const c of cells.slice(1)) {
        assert.match(c, /0\.\d{3}[\s\S]*± 0\.\d{3}[\s\S]*\[\d\.\d{3}, \d\.\d{3}\]/, `${m}: ${c}`);
        // Shown cut to the scores' range (the CSV keeps the raw t interval).
        const [lo, hi] = c.match(/\[(\d\.\d{3}), (\d\.\d{3})\]/).slice(1).map(Number);
        assert.ok(lo >= 0 && lo <= hi && hi <= 1, `${m}: interval within [0, 1]: ${c}`);
      }
    }
    assert.equal(await table.locator('td.best').count() >= 5, true, 'the best mean of each score is marked');

    // Plot: the canvas has ink.
    const inked = await byId(page, 'sweep-plot').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 2000, `the strip plot is drawn (${inked} pixels)`);

    // Export: the downloaded file, the link's text and the CLI's file are the same bytes.
    const browserCsv = await dataLinkText(page, 'sweep-export-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'sweep-export-csv').click()]);
    assert.equal(download.suggestedFilename(), 'imlab-sweep.csv');
    assert.equal(readFileSync(await download.path(), 'utf8'), browserCsv, 'the download is the link text');
    const command = await byId(page, 'sweep-cli-command').textContent();
    const link = command.match(/--link '([^']*)'/)?.[1];
    assert.ok(link, `the panel shows the CLI command: ${command}`);
    assert.match(command, /--methods baseline,ros,focal --seeds 3 --epochs 5/);
    const cliCsv = imlab(['--link', link, '--methods', 'baseline,ros,focal', '--seeds', '3', '--epochs', '5']);
    assert.equal(csvRows(browserCsv).length, 10, 'header and 9 runs');
    assert.equal(browserCsv, cliCsv, 'the browser sweep exports exactly the CLI file');

    const longTasks = await page.evaluate(() => window.__longTasks);
    console.log(`long tasks during the sweep (ms): ${JSON.stringify(longTasks)}`);
    const worst = Math.max(0, ...longTasks);
    assert.ok(worst < 150, `no main-thread task near a blocking length during the sweep (worst ${worst} ms)`);

    await byId(page, 'sweep').screenshot({ path: join(SHOTS, 'sweep-done.png') });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('Cancel stops a sweep within a frame and keeps the finished runs', async () => {
  const app = await openSweep();
  const { page } = app;
  try {
    // 3 methods × 100 seeds × 300 epochs: long enough to cancel in the middle.
    await byId(page, 'sweep-seeds').fill('100');
    await byId(page, 'sweep-epochs').fill('300');
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      () => /^([2-9]|\d\d) of 300 runs/.test(document.querySelector('[data-testid="sweep-status"]')?.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    await byId(page, 'sweep-cancel').click();
    const at = await byId(page, 'sweep-progress').evaluate((p) => p.value);
    const status = await byId(page, 'sweep-status').textContent();
    const done = Number(status.match(/Cancelled after (\d+) of 300 runs/)?.[1]);
    assert.ok(done >= 2 && done < 300, `cancelled mid-sweep: ${status}`);
    await page.waitForTimeout(1500);
    assert.equal(await byId(page, 'sweep-progress').evaluate((p) => p.value), at, 'no work after Cancel');
    assert.equal(await byId(page, 'sweep-status').textContent(), status, 'no run finishes after Cancel');
    assert.ok(await byId(page, 'sweep-run').isEnabled(), 'a new sweep can be started');

    // The finished runs are kept: table counts and exported rows add up to them.
    const ns = await byId(page, 'sweep-table').locator('tbody tr td:first-of-type').allInnerTexts();
    assert.equal(ns.reduce((a, t) => a + Number(t), 0), done, `table counts ${ns}`);
    const rows = csvRows(await dataLinkText(page, 'sweep-export-csv'));
    assert.equal(rows.length, 1 + done, 'the export holds the finished runs');
    assert.ok(rows.slice(1).every((r) => r[2] === '300'), 'each row says the grid had 300 runs');
    await byId(page, 'sweep').screenshot({ path: join(SHOTS, 'sweep-cancelled.png') });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

// Issue 15: the robustness preset (adversarial training, robust evaluation) runs in the page with
// the robust columns, byte-identical to the CLI file.
test('the adversarial-disparity preset runs in the page with its robust columns, as imlab sweep --preset', async () => {
  const app = await openSweep();
  const { page } = app;
  try {
    await byId(page, 'sweep-preset').selectOption('adversarial-disparity');
    assert.match(await byId(page, 'sweep-preset-methods').textContent(), /reweighted_at/);
    await byId(page, 'sweep-seeds').fill('2');
    await byId(page, 'sweep-epochs').fill('3');
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sweep-status"]')?.textContent.includes('All 10 runs done'),
      null,
      { timeout: 240_000 },
    );
    const browserCsv = await dataLinkText(page, 'sweep-export-csv');
    assert.match(browserCsv.split('\n')[0], /robust_balanced_accuracy.*robust_recall_gap/, 'robust columns');
    const cliCsv = imlab(['--preset', 'adversarial-disparity', '--seeds', '2', '--epochs', '3']);
    assert.equal(browserCsv, cliCsv, 'the preset sweep exports exactly the CLI preset file');
    await byId(page, 'sweep').screenshot({ path: join(SHOTS, 'sweep-preset-adversarial.png') });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('a paper preset runs the same grid as imlab sweep --preset', async () => {
  const app = await openSweep();
  const { page } = app;
  try {
    await byId(page, 'sweep-preset').selectOption('menon-two-gaussians');
    assert.equal(await byId(page, 'sweep-seeds').inputValue(), '5', 'the preset sets its seeds');
    assert.equal(await byId(page, 'sweep-epochs').inputValue(), '20', 'and its epochs');
    assert.match(await byId(page, 'sweep-preset-methods').textContent(), /logit_adjusted.*posthoc_la.*ldam/);
    await byId(page, 'sweep-seeds').fill('2');
    await byId(page, 'sweep-epochs').fill('3');
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sweep-status"]')?.textContent.includes('All 10 runs done'),
      null,
      { timeout: 180_000 },
    );
    assert.match(await byId(page, 'sweep-cli-command').textContent(), /--preset menon-two-gaussians --seeds 2 --epochs 3/);
    const browserCsv = await dataLinkText(page, 'sweep-export-csv');
    const cliCsv = imlab(['--preset', 'menon-two-gaussians', '--seeds', '2', '--epochs', '3']);
    assert.equal(browserCsv, cliCsv, 'the preset sweep exports exactly the CLI preset file');
    await byId(page, 'sweep').screenshot({ path: join(SHOTS, 'sweep-preset-menon.png') });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});
