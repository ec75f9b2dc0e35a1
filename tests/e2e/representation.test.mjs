// Inside the network (issue 14): virtual-feature calibration picked in Setup changes the minority
// recall, its virtual features appear in the feature-space view (apart, never evaluated), and the
// browser's numbers are `imlab run --link`'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imlabRun } from './cli.mjs';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';

// Three blobs, 400 / 60 / 12 rows: the smallest class has 4 test rows.
const BASE = '#v=2&backend=cpu&dataset.generator=blobs&dataset.counts.kind=explicit&dataset.counts.counts=[400,60,12]&dataset.noise=1&model.hidden=[16]&epochs=12';

// Waits for the running experiment to pass `epoch`; `stage2` (second-stage epochs, or null for
// none) names which experiment, so a snapshot of the one a Setup change replaced is not taken.
async function trainedTo(page, epoch, stage2 = 'any') {
  await page.waitForFunction(
    ([e, s2]) => {
      if (!window.imlab) return false;
      const snap = JSON.parse(window.imlab.snapshot());
      const has = snap.config.schedule.second_stage?.epochs ?? null;
      return snap.epoch >= e && (s2 === 'any' || has === s2);
    },
    [epoch, stage2],
    { timeout: 180_000 },
  );
  return snapshot(page);
}


test('virtual-feature calibration from Setup: minority recall changes, virtual features drawn apart, same numbers as imlab run', async () => {
  const app = await openApp({ hash: BASE, viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    const plain = await trainedTo(page, 12, null);
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

    const calibrated = await trainedTo(page, 18, 6);
    assert.equal(calibrated.config.schedule.second_stage.method, 'virtual_feature_calibration');
    // The page keeps training past the configured epochs (as a playground does), so compare the
    // epoch records: the last epoch of each run as configured.
    const before = plain.history[11];
    const after = calibrated.history[17];
    assert.equal(before.epoch, 12);
    assert.equal(after.epoch, 18);
    assert.notEqual(after.minority_recall, before.minority_recall, `minority recall ${before.minority_recall} → ${after.minority_recall}`);
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
    assert.equal(native.history.length, 18);
    const strip = (h) => ({ epoch: h.epoch, step: h.step, test_loss: h.test_loss, train_loss: h.train_loss, balanced_accuracy: h.balanced_accuracy, minority_recall: h.minority_recall });
    assert.deepEqual(calibrated.history.slice(0, 18).map(strip), native.history.map(strip), 'every epoch as on the CLI');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

// The minority-collapse angle between the minority classifier vectors (degrees) after the
// preset's 300 epochs (the page trains on past them).
const lastAngle = (snap) => snap.history[299]?.collapse?.minority_angle_classifiers;

test('minority-collapse preset: moving the ratio opens the collapsed minority angle again', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await byId(page, 'preset').waitFor({ timeout: 30_000 });
    await byId(page, 'speed').selectOption('300');
    await byId(page, 'preset').selectOption('minority-collapse');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('dataset.counts.ratio=0.01'), null, { timeout: 10_000 });
    const collapsed = await trainedTo(page, 300);
    const closed = lastAngle(collapsed);
    assert.ok(Number.isFinite(closed), `angle measured every epoch (${closed})`);
    assert.equal(collapsed.history.filter((h) => h.collapse).length, collapsed.history.length);

    // Drag the ratio to 1 : 10: training restarts and, after the same 300 epochs, the angle is open.
    await byId(page, 'ratio').fill('0.1');
    await byId(page, 'ratio').dispatchEvent('change');
    // (1 : 10 is the default ratio, so the link leaves the key out.)
    await page.waitForFunction(() => {
      const s = JSON.parse(window.imlab.snapshot());
      return s.config.dataset.counts.ratio === 0.1 && s.epoch < 300;
    }, null, { timeout: 10_000 });
    assert.ok(!decodeURIComponent(await page.evaluate(() => location.hash)).includes('ratio=0.01'));
    const open = lastAngle(await trainedTo(page, 300));
    assert.ok(open > closed + 30, `minority classifier angle: ${closed.toFixed(1)}° at 1:100, ${open.toFixed(1)}° at 1:10`);

    await byId(page, 'minority-angle-curve').scrollIntoViewIfNeeded();
    await screenshot(page, 'minority-collapse-angle');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('pseudo-labels: the panel shows each class pseudo-label precision and recall, as imlab run does', async () => {
  const hash = '#v=2&backend=cpu&dataset.generator=blobs&dataset.counts.kind=explicit&dataset.counts.counts=[400,80,30]&dataset.noise=1&model.hidden=[16]&epochs=10&schedule.second_stage.method=pseudo_labels&schedule.second_stage.epochs=5';
  const app = await openApp({ hash, viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await byId(page, 'pseudo-labels').waitFor({ timeout: 30_000 });
    const snap = await trainedTo(page, 15, 5);
    const r = snap.pseudo_labels;
    assert.ok(r && r.accepted > 0, 'the pool was pseudo-labelled');
    assert.match(await byId(page, 'pseudo-labels-summary').innerText(), new RegExp(`${r.accepted} of the ${r.pool_size} pool rows`));
    const pct = (v) => (v === null ? 'undefined' : `${(v * 100).toFixed(1)}%`);
    for (let c = 0; c < r.per_class.length; c++) {
      assert.equal(await byId(page, `pseudo-recall-${c}`).innerText(), pct(r.per_class[c].recall));
    }
    const native = imlabRun(await page.evaluate(() => location.hash), 10);
    assert.deepEqual(native.final.pseudo_labels, r, 'the same pool, the same pseudo-labels');
    await byId(page, 'pseudo-labels').scrollIntoViewIfNeeded();
    await screenshot(page, 'pseudo-labels-panel');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});
