// Robustness catalogue (issue 8, part 5): one test per row of docs/robustness.md, named after the
// row. Each feeds the app one bad input and checks its answer: a clear message, the app still
// running, nothing frozen, no uncaught error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, holdWebGpuDevice, openApp, readInt, screenshot, snapshot } from './harness.mjs';
import { pickFile, textOf, twoClassCsv, uploadAndApply, waitForStep } from './data-helpers.mjs';

const pageErrors = (app) => app.consoleErrors.filter((e) => !/Content Security Policy/.test(e));

/** The app keeps training: the step counter moves. */
async function stillTraining(page) {
  const s = await readInt(page, 'step');
  await waitForStep(page, s, 20_000);
}

/** Offers `bytes` in the picker and returns the data-error message. */
async function importError(page, bytes, name = 'bad.csv') {
  await pickFile(page, bytes, name);
  await byId(page, 'data-error').waitFor({ state: 'visible', timeout: 10_000 });
  return textOf(page, 'data-error');
}

/** Saves `fragment` as the session's experiment and opens the page again without a link, as a
 * returning visitor would (a link in the address would win over the saved session). */
async function reloadWithSavedSession(page, fragment) {
  await page.evaluate((f) => localStorage.setItem('imlab.session.link', f), fragment);
  await page.goto(page.url().split('#')[0]);
  await byId(page, 'step').waitFor({ timeout: 30_000 });
}

async function withApp(options, body) {
  const app = await openApp(options);
  try {
    await byId(app.page, 'step').waitFor({ timeout: 30_000 });
    await body(app);
    assert.deepEqual(pageErrors(app), [], 'no uncaught error or console error');
  } finally {
    await app.close();
  }
}

const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

test('tampered link', () =>
  withApp(
    { hash: '#v=999&seed=-3&model.hidden=99999999,0&optimizer.lr=NaN&sampler.kind=%3Cnonsense%3E&dataset.source.kind=uploaded&dataset.source.hash=..%2F..%2Fetc&batch_size=0&%zz=%' },
    async ({ page }) => {
      await stillTraining(page);
      const config = (await snapshot(page)).config;
      assert.ok(config.seed >= 0 && config.batch_size > 0, 'whatever was applied is a valid config');
    },
  ));

test('a network too large for the page (4×256 units)', () =>
  withApp({ hash: '#v=2&model.hidden=256,256,256,256&seed=3' }, async ({ page }) => {
    await byId(page, 'error').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await textOf(page, 'error'), /model\.hidden.*million operations per frame.*imlab run/);
    assert.deepEqual((await snapshot(page)).config.model.hidden, [16, 16], 'the default network runs instead');
    await stillTraining(page);
  }));

test('oversized link (over 16 KiB)', () =>
  withApp({ hash: `#seed=5&made_on=${'a'.repeat(20_000)}` }, async ({ page }) => {
    await stillTraining(page);
  }));

test('huge CSV (over 20 MB)', () =>
  withApp({}, async ({ page }) => {
    // Count the files the app reads: a file over the limit must be refused from its size alone.
    await page.evaluate(() => {
      window.__reads = [];
      const read = Blob.prototype.arrayBuffer;
      Blob.prototype.arrayBuffer = function () {
        window.__reads.push(this.name ?? '(blob)');
        return read.call(this);
      };
    });
    const big = Buffer.alloc(21 * 1024 * 1024, '1,2,a\n');
    const message = await importError(page, big, 'huge.csv');
    assert.match(message, /huge\.csv: the file is 22\.0 MB; at most 20 MB can be imported/);
    assert.deepEqual(await page.evaluate(() => window.__reads.filter((n) => n.endsWith('.csv'))), [], 'refused before reading');
    assert.equal(await byId(page, 'data-preview').count(), 0, 'no preview of a refused file');
    await pickFile(page, twoClassCsv(), 'small.csv');
    await byId(page, 'data-preview').waitFor();
    assert.deepEqual(await page.evaluate(() => window.__reads.filter((n) => n.endsWith('.csv'))), ['small.csv'], 'a file within the limit is read');
    await stillTraining(page);
  }));

test('largest CSV accepted (200,000 rows) trains without freezing the tab', () =>
  withApp({}, async ({ page }) => {
    const csv = Buffer.from('x,y,label\n' + rows(200_000, (i) => `${(i % 1009) / 100.9},${(i % 97) / 9.7},${i % 10 === 0 ? 'b' : 'a'}`) + '\n');
    await uploadAndApply(page, csv, 'largest.csv');
    const snap = await snapshot(page);
    assert.equal(snap.train_counts.reduce((a, b) => a + b, 0) + snap.test_counts.reduce((a, b) => a + b, 0), 200_000);
    // The page answers promptly while it trains on the largest file.
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      await page.evaluate(() => document.querySelector('[data-testid="step"]').textContent);
      assert.ok(Date.now() - t0 < 1500, `the page answered in ${Date.now() - t0} ms`);
      await page.waitForTimeout(300);
    }
    await stillTraining(page);
  }));

test('malformed CSV: a quote never closed', () =>
  withApp({}, async ({ page }) => {
    assert.match(await importError(page, Buffer.from('x,y,label\n1,2,a\n3,"4,b\n5,6,a\n')), /line 3: a quoted field is never closed/);
  }));

test('malformed CSV: a row with too few fields', () =>
  withApp({}, async ({ page }) => {
    assert.match(await importError(page, Buffer.from('x,y,label\n1,2,a\n3,b\n5,6,a\n')), /line 3: 2 fields, but the header has 3/);
  }));

test('malformed CSV: a missing value', () =>
  withApp({}, async ({ page }) => {
    assert.match(await importError(page, Buffer.from('x,y,label\n1,2,a\n3,,b\n5,6,a\n4,4,b\n')), /line 3, column 2 \("y"\): the cell is empty/);
  }));

test('not a text file (binary bytes)', () =>
  withApp({}, async ({ page }) => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]);
    assert.match(await importError(page, png, 'picture.png'), /not UTF-8 text/);
  }));

test('empty CSV', () =>
  withApp({}, async ({ page }) => {
    assert.match(await importError(page, Buffer.from('')), /the file is empty/);
  }));

test('CSV with only a header', () =>
  withApp({}, async ({ page }) => {
    assert.match(await importError(page, Buffer.from('x,y,label\n')), /header row but no data rows/);
  }));

test('CSV with one class', () =>
  withApp({}, async ({ page }) => {
    assert.match(await importError(page, Buffer.from('x,y,label\n' + rows(20, (i) => `${i},${i},only`))), /every row has the label "only"; at least two classes are needed/);
  }));

test('a class with one sample', () =>
  withApp({}, async ({ page }) => {
    const csv = 'x,y,label\n' + rows(20, (i) => `${i},${i},common`) + '\n7,7,lonely\n';
    assert.match(await importError(page, Buffer.from(csv)), /the label "lonely" occurs only once \(line 22\)/);
  }));

test('a numeric feature chosen as the label (too many classes)', () =>
  withApp({}, async ({ page }) => {
    const csv = Buffer.from('x,y,label\n' + rows(300, (i) => `${i},${i % 3},${i % 2}`));
    await pickFile(page, csv);
    await byId(page, 'data-preview').waitFor();
    await byId(page, 'data-label-column').selectOption('0');
    await byId(page, 'data-error').waitFor({ state: 'visible' });
    assert.match(await textOf(page, 'data-error'), /the label column "x" has 300 distinct values; at most 100 classes/);
    assert.ok(await byId(page, 'data-apply').isDisabled());
  }));

test('too many columns (over 1,000)', () =>
  withApp({}, async ({ page }) => {
    const header = Array.from({ length: 1001 }, (_, j) => `c${j}`).join(',');
    assert.match(await importError(page, Buffer.from(`${header}\n`)), /1001 columns; at most 1000/);
  }));

test('SMOTE with fewer samples than neighbours', () =>
  withApp({}, async ({ page }) => {
    // Five minority rows: the training split keeps about four, fewer than k_neighbors + 1 = 6.
    await uploadAndApply(page, twoClassCsv({ counts: [60, 5], salt: 2 }));
    const saved = await page.evaluate(() => localStorage.getItem('imlab.session.link'));
    await reloadWithSavedSession(page, `${saved}&sampler.kind=smote`);
    await byId(page, 'error').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await textOf(page, 'error'), /SMOTE needs at least k_neighbors\+1 = 6 samples of class 1 in the training split, it has \d; lower k_neighbors or the ratio/);
    assert.notEqual((await snapshot(page)).config.sampler.kind, 'smote', 'the refused experiment is not half-applied');
    await stillTraining(page);
  }));

test('a diverging learning rate (NaN caught)', () =>
  withApp({}, async ({ page }) => {
    await reloadWithSavedSession(
      page,
      'model.hidden=[64,64,64]&model.activation=gelu&optimizer.kind=sgd&optimizer.lr=10&optimizer.momentum=0.99&optimizer.nesterov=false&optimizer.weight_decay=0',
    );
    assert.equal((await snapshot(page)).config.optimizer.kind, 'sgd', 'the saved experiment was applied');
    await byId(page, 'error').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await textOf(page, 'error'), /Lower the learning rate/);
    const stopped = await readInt(page, 'step');
    await page.waitForTimeout(1000);
    assert.equal(await readInt(page, 'step'), stopped, 'training pauses at the last good state');
    const snap = await snapshot(page);
    assert.ok(snap.history.every((h) => Number.isFinite(h.train_loss)), 'no NaN in the history');
    await screenshot(page, 'robustness-diverged');
  }));

test('WebGPU absent', () =>
  withApp({ webgpu: false }, async ({ page }) => {
    await stillTraining(page);
    assert.match(await textOf(page, 'backend'), /CPU/);
    assert.match(await textOf(page, 'backend-notice'), /WebGPU/);
  }));

test('WebGPU lost during training', () =>
  withApp({}, async ({ page }) => {
    await holdWebGpuDevice(page);
    await page.reload();
    await waitForStep(page, 20);
    assert.match(await textOf(page, 'backend'), /WebGPU/);
    await page.evaluate(() => window.__imlabDevice.destroy());
    await page.waitForFunction(() => /CPU/.test(document.querySelector('[data-testid="backend"]').textContent), null, { timeout: 20_000 });
    assert.match(await textOf(page, 'backend-notice'), /WebGPU failed during training/);
    await stillTraining(page);
  }));

test('storage disabled', () =>
  withApp({}, async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    await page.reload();
    await byId(page, 'storage-notice').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await textOf(page, 'storage-notice'), /not saved: this browser does not allow local storage/);
    await uploadAndApply(page, twoClassCsv());
    await stillTraining(page);
  }));

test('storage full', () =>
  withApp({}, async ({ page }) => {
    await page.addInitScript(() => {
      Storage.prototype.setItem = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await page.reload();
    await uploadAndApply(page, twoClassCsv());
    await byId(page, 'storage-notice').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await textOf(page, 'storage-notice'), /could not be saved: the browser's storage for this page is full/);
    await stillTraining(page);
  }));

test('saved session with a bad key (the rest restored, the key named)', () =>
  withApp({}, async ({ page }) => {
    await reloadWithSavedSession(page, 'v=2&seed=77&loss.kind=focal&loss.gamma=banana');
    const notice = byId(page, 'link-issues');
    await notice.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await notice.innerText();
    assert.match(text, /saved session/i, text);
    assert.match(text, /loss\.gamma/, text);
    const snap = JSON.parse(await page.evaluate(() => window.imlab.snapshot()));
    assert.equal(snap.config.seed, 77, 'the valid rest (seed) was restored');
    assert.equal(snap.config.loss.kind, 'focal', 'the valid rest (loss) was restored');
    assert.match(decodeURIComponent(page.url()), /seed=77/, 'the valid rest (seed) was restored');
    await stillTraining(page);
  }));

test('saved session edited by hand (file does not match its hash)', () =>
  withApp({}, async ({ page }) => {
    const hash = await uploadAndApply(page, twoClassCsv({ counts: [40, 12] }));
    await page.evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('imlab.session.upload'));
      saved.text = saved.text.replace('healthy', 'HEALTHY');
      localStorage.setItem('imlab.session.upload', JSON.stringify(saved));
    });
    await page.reload();
    await byId(page, 'data-needed').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await byId(page, 'data-needed').innerText(), new RegExp(hash));
    await stillTraining(page);
  }));
