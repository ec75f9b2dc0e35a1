// Inside the network (issue 14): virtual-feature calibration picked in Setup changes the minority
// recall, its virtual features appear in the feature-space view (apart, never evaluated), and the
// browser's numbers are `imlab run --link`'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imlabRun } from './cli.mjs';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';

// Three blobs, 400 / 60 / 12 rows: the smallest class has 4 test rows.
const BASE = '#v=2&backend=cpu&dataset.generator=blobs&dataset.counts.kind=explicit&dataset.counts.counts=[400,60,12]&dataset.noise=1&model.hidden=[16]&epochs=12';

async function trainedTo(page, epoch) {
  await page.waitForFunction(
    (e) => window.imlab && JSON.parse(window.imlab.snapshot()).epoch >= e,
    epoch,
    { timeout: 60_000 },
  );
  return snapshot(page);
}

const recalls = (snap) => snap.per_class.map((c) => c.recall);

test('virtual-feature calibration from Setup: minority recall changes, virtual features drawn apart, same numbers as imlab run', async () => {
  const app = await openApp({ hash: BASE, viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    const plain = await trainedTo(page, 12);
    assert.equal(plain.config.schedule.second_stage ?? null, null);

    // Setup: turn the second stage on, pick virtual-feature calibration, 6 epochs.
    await byId(page, 'field-schedule-second-stage').check();
    await byId(page, 'field-schedule-second-stage-method').waitFor({ timeout: 10_000 });
    await byId(page, 'field-schedule-second-stage-method').selectOption('virtual_feature_calibration');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('second_stage.method=virtual_feature_calibration'), null, { timeout: 10_000 });
    const epochs = byId(page, 'field-schedule-second-stage-epochs');
    await epochs.fill('6');
    await epochs.dispatchEvent('change');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('second_stage.epochs=6'), null, { timeout: 10_000 });

    const calibrated = await trainedTo(page, 18);
    assert.equal(calibrated.config.schedule.second_stage.method, 'virtual_feature_calibration');
    const k = recalls(plain).length;
    assert.notEqual(recalls(calibrated)[k - 1], recalls(plain)[k - 1], `minority recall ${recalls(plain)} → ${recalls(calibrated)}`);
    // Virtual features are trained on, never evaluated: the test split is unchanged.
    assert.deepEqual(calibrated.test_counts, plain.test_counts);

    // The feature-space view shows them, apart, and says what they are.
    await byId(page, 'feature-space').scrollIntoViewIfNeeded();
    await byId(page, 'feature-space-virtual-legend').waitFor({ timeout: 10_000 });
    const view = JSON.parse(await page.evaluate(() => window.imlab.featureSpace()));
    const counts = calibrated.train_counts;
    const topUp = counts.reduce((a, n) => a + (Math.max(...counts) - n), 0);
    assert.equal(view.n_virtual, topUp, 'every class topped up to the largest');
    assert.match(await byId(page, 'feature-space-note').innerText(), /virtual features .* never evaluated/);
    await screenshot(page, 'feature-space-virtual-features');

    // The same link on the CLI: the same numbers.
    const hash = await page.evaluate(() => location.hash);
    const native = imlabRun(hash, 12);
    assert.equal(native.final.epoch, calibrated.epoch);
    assert.equal(native.final.test_loss, calibrated.test_loss);
    assert.deepEqual(native.final.per_class.map((c) => c.recall), recalls(calibrated));
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});
