// Exports (issue 8, part 3): results JSON, per-epoch metrics CSV, test predictions CSV and a PNG of
// each chart, captured as real downloads and checked against the app's own snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';
import { download, waitForStep } from './data-helpers.mjs';
import { crc32 } from 'node:zlib';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('exports hold the config, the results, every epoch, every test row and each chart', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    // Train past a few epochs, then pause so every export describes the same step.
    await page.waitForFunction(() => window.imlab && JSON.parse(window.imlab.snapshot()).history.length >= 3, null, { timeout: 60_000 });
    await byId(page, 'play-pause').click();
    await page.waitForTimeout(500);
    const snap = await snapshot(page);

    const json = await download(page, 'export-json');
    assert.equal(json.name, 'imlab-results.json');
    const doc = JSON.parse(json.bytes.toString('utf8'));
    assert.equal(doc.format, 'imbalance-lab-results');
    assert.deepEqual(doc.config, snap.config, 'the config round-trips');
    assert.equal(doc.final.step, snap.step);
    assert.deepEqual(doc.final.confusion, snap.confusion);
    assert.equal(doc.history.length, snap.history.length);
    assert.match(doc.link, /^#v=\d+/);

    const metrics = await download(page, 'export-metrics-csv');
    const mRows = metrics.bytes.toString('utf8').trim().split('\n');
    assert.equal(mRows[0], 'epoch,step,train_loss,test_loss,accuracy,balanced_accuracy');
    assert.equal(mRows.length - 1, snap.history.length, 'one row per epoch');
    const last = mRows.at(-1).split(',');
    assert.equal(Number(last[0]), snap.history.at(-1).epoch);
    assert.ok(Math.abs(Number(last[2]) - snap.history.at(-1).train_loss) < 1e-12);

    const preds = await download(page, 'export-predictions-csv');
    const pRows = preds.bytes.toString('utf8').trim().split('\n');
    const k = snap.confusion.n_classes;
    assert.equal(pRows[0], ['row', 'true_class', 'predicted_class', ...Array.from({ length: k }, (_, c) => `p_${c}`)].join(','));
    const testRows = snap.test_counts.reduce((a, b) => a + b, 0);
    assert.equal(pRows.length - 1, testRows, 'one row per test row');
    // The predictions reproduce the confusion matrix on screen.
    const counts = new Array(k * k).fill(0);
    for (const line of pRows.slice(1)) {
      const f = line.split(',');
      counts[Number(f[1]) * k + Number(f[2])] += 1;
    }
    assert.deepEqual(counts, snap.confusion.counts);

    // The feature-space panel draws only once on screen: scroll to it so that its picture is saved too.
    await byId(page, 'feature-space').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-testid="feature-space"]').hasAttribute('data-drawn'), null, { timeout: 10_000 });
    // Every drawn chart, as one ZIP of PNGs (a browser drops downloads past about ten from one page).
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('canvas[data-testid]')]
        .filter((c) => c.width > 0 && c.height > 0 && (!c.hasAttribute('data-lazy') || c.hasAttribute('data-drawn')))
        .map((c) => `imlab-${c.dataset.testid}.png`));
    assert.ok(drawn.includes('imlab-feature-space.png') && drawn.length >= 3, `the page has charts (${drawn})`);
    const zip = await download(page, 'export-png');
    assert.equal(zip.name, 'imlab-charts.zip');
    const files = readStoredZip(zip.bytes);
    assert.deepEqual(files.map((f) => f.name), drawn, 'one PNG per drawn chart, in page order');
    for (const f of files) {
      assert.ok(f.bytes.subarray(0, 8).equals(PNG_MAGIC), `${f.name} is a PNG`);
      assert.ok(f.bytes.length > 1000, `${f.name} has a picture (${f.bytes.length} bytes)`);
    }
    assert.match(await byId(page, 'export-status').textContent(), new RegExp(`Saved imlab-charts\\.zip \\(${drawn.length} charts`));
    // The data: the training set the model sees (here the default, no sampler), the test split.
    const data = await download(page, 'export-data-csv');
    const dRows = data.bytes.toString('utf8').trim().split('\n');
    assert.equal(dRows[0], 'set,origin,train_row,neighbor_row,label,x0,x1');
    const inSet = (set) => dRows.filter((l) => l.startsWith(`${set},`)).length;
    assert.equal(inSet('train'), snap.resampled_counts.reduce((a, b) => a + b, 0), 'the training set the model sees');
    assert.equal(inSet('test'), testRows, 'the test split');
    assert.equal(inSet('removed'), 0);

    await byId(page, 'export').scrollIntoViewIfNeeded();
    await screenshot(page, 'export-panel');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

/** The files of a ZIP whose entries are stored (method 0), read through its central directory, each
 * checked against its CRC-32, as an unzip tool does. */
function readStoredZip(buf) {
  const end = buf.length - 22;
  assert.equal(buf.readUInt32LE(end), 0x06054b50, 'end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = [];
  for (let i = 0; i < count; i += 1) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'central directory record');
    assert.equal(buf.readUInt16LE(at + 10), 0, 'stored');
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, 'local header');
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const bytes = buf.subarray(dataAt, dataAt + size);
    assert.equal(crc32(bytes), crc, `${name}'s CRC-32`);
    files.push({ name, bytes });
    at += 46 + nameLen;
  }
  return files;
}
