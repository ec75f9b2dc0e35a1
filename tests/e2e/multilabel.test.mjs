// Multi-label end to end (issue 13): switch the task in Setup, train, move a per-label threshold
// and see the per-label bars and the co-occurrence matrix change without retraining, tune the
// thresholds, then share the link: a fresh browser and `imlab run --link` give the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imlabRun } from './cli.mjs';
import { byId, openApp, screenshot } from './harness.mjs';

const EPOCHS = 12;

async function report(page) {
  return JSON.parse(await page.evaluate(() => window.imlab.multilabel()));
}

// Waits until the multi-label run whose config has `epochs` has trained every scheduled step.
async function finished(page, epochs) {
  await page.waitForFunction(
    (e) => {
      const r = window.imlab && JSON.parse(window.imlab.multilabel());
      return r && r.config.epochs === e && r.step === r.total_steps && r.epoch === e;
    },
    epochs,
    { timeout: 180_000 },
  );
  return report(page);
}

const text = async (page, id) => (await byId(page, id).innerText()).trim();

test('multi-label from Setup: train, move a per-label threshold, tune, share: same numbers in a fresh browser and on the CLI', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu', viewport: { width: 1280, height: 1000 } });
  const { page } = app;
  let fresh;
  try {
    await page.waitForFunction(() => window.imlab, null, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => window.imlab.multilabel()), 'null', 'multi-class at first');
    await byId(page, 'field-task').selectOption('multilabel');
    await byId(page, 'multilabel-workspace').waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => location.hash.includes('task=multilabel'), null, { timeout: 10_000 });
    // The Setup sections now show the multi-label choices.
    await byId(page, 'field-multilabel-loss-kind').waitFor({ timeout: 10_000 });
    await byId(page, 'field-multilabel-sampler-kind').waitFor({ timeout: 10_000 });
    const epochs = byId(page, 'field-epochs');
    await epochs.fill(String(EPOCHS));
    await epochs.dispatchEvent('change');
    const trained = await finished(page, EPOCHS);
    const l = trained.n_labels;
    assert.equal(l, 5);
    assert.equal(trained.snapshot.history.length, EPOCHS);
    assert.equal(await byId(page, 'play-pause').getAttribute('aria-pressed'), 'false', 'stops at the last epoch');

    // The bars are ordered head to tail and show the engine's numbers.
    const order = trained.head_to_tail;
    const pos = trained.snapshot.train_measures.positives;
    for (let i = 1; i < l; i++) assert.ok(pos[order[i - 1]] >= pos[order[i]], 'head to tail');
    const r = trained.snapshot.rarest_label;
    assert.equal(order[l - 1], r, 'the rarest label is the last bar');
    const rep = trained.snapshot.metrics.per_label[r];
    assert.equal(await text(page, `ml-cooc-true-${r}-${r}`), String(rep.support));
    assert.equal(await text(page, `ml-cooc-pred-${r}-${r}`), String(rep.predicted));
    await screenshot(page, 'multilabel-trained');

    // Per-label thresholds: lower the rarest label's only; nothing retrains.
    await byId(page, 'ml-rule').selectOption('per_label_thresholds');
    await byId(page, `ml-threshold-${r}`).waitFor({ timeout: 10_000 });
    const barBefore = await text(page, `ml-bar-${r}`);
    await byId(page, `ml-threshold-${r}`).fill('0.05');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`).textContent.trim() === '0.05', `ml-threshold-${r}-value`, { timeout: 10_000 });
    const moved = await report(page);
    assert.equal(moved.step, trained.step, 'no retraining');
    const t = moved.config.multilabel.decision.thresholds;
    assert.equal(t[r], 0.05);
    for (let j = 0; j < l; j++) if (j !== r) assert.equal(t[j], 0.5);
    const predBefore = rep.predicted;
    const predAfter = moved.snapshot.metrics.per_label[r].predicted;
    assert.ok(predAfter > predBefore, `a lower threshold predicts label ${r} more often: ${predBefore} → ${predAfter}`);
    assert.equal(await text(page, `ml-cooc-pred-${r}-${r}`), String(predAfter), 'the co-occurrence matrix follows');
    assert.notEqual(await text(page, `ml-bar-${r}`), barBefore, 'the bar follows');
    assert.deepEqual(moved.cooccurrence_true, trained.cooccurrence_true, 'the truth does not move');
    assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes('multilabel.decision.kind=per_label_thresholds'));

    // Tune on the training split: one F1-maximising threshold per label.
    await byId(page, 'ml-tune').click();
    await page.waitForFunction((t0) => {
      const d = JSON.parse(window.imlab.multilabel()).config.multilabel.decision;
      return d.kind === 'per_label_thresholds' && d.thresholds[0] !== t0;
    }, t[0], { timeout: 10_000 });
    const tuned = await report(page);
    assert.equal(tuned.step, trained.step, 'tuning does not retrain');
    // The label-set view draws too.
    await byId(page, 'ml-plane-label').selectOption('sets');
    await screenshot(page, 'multilabel-tuned-label-sets');

    // Share: the link reproduces the run in a fresh browser, decision rule included.
    const hash = await page.evaluate(() => location.hash);
    fresh = await openApp({ hash, viewport: { width: 1280, height: 900 } });
    const again = await finished(fresh.page, EPOCHS);
    assert.deepEqual(again.config, tuned.config);
    // The model is the same, so are the final scores under the tuned rule. Epoch records are
    // scored with the rule in force at that epoch: the fresh run had the tuned rule from the
    // start, this page had 0.5 until the end, so only their losses agree.
    const { history: h0, ...final0 } = tuned.snapshot;
    const { history: h1, ...final1 } = again.snapshot;
    assert.deepEqual(final1, final0, 'same final numbers in a fresh browser');
    assert.deepEqual(h1.map((h) => [h.train_loss, h.test_loss]), h0.map((h) => [h.train_loss, h.test_loss]));
    assert.deepEqual(again.cooccurrence_predicted, tuned.cooccurrence_predicted);

    // And on the CLI: every epoch record and every final number of the fresh browser.
    const native = imlabRun(hash, EPOCHS);
    assert.deepEqual(native.history, again.snapshot.history, 'every epoch as on the CLI');
    assert.deepEqual(native.final.metrics, again.snapshot.metrics, 'every final metric as on the CLI');
    assert.deepEqual(native.final.ranking, again.snapshot.ranking, 'every ranking metric as on the CLI');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
    assert.deepEqual(fresh.consoleErrors, [], 'no console errors in the fresh browser');
  } finally {
    await fresh?.close();
    await app.close();
  }
});

test('a multi-label preset tells its story, and a bad multi-label link is explained and loses nothing', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&task=multilabel&multilabel.data.n_labels=9', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    // 9 labels is over the generator's limit: the link notice names the key and why, and the page
    // runs the default experiment instead of a half-applied one.
    await byId(page, 'link-issues').waitFor({ timeout: 20_000 });
    assert.match(await byId(page, 'link-issues').innerText(), /n_labels.*2 to 8 labels, got 9/s);
    assert.equal(await page.evaluate(() => window.imlab.multilabel()), 'null');
    await byId(page, 'preset').selectOption('multilabel-rare-labels-vanish');
    const bce = await finished(page, 40);
    assert.equal(bce.config.multilabel.data.n_labels, 6);
    const r = bce.snapshot.rarest_label;
    const recall = (x) => x.snapshot.rarest_label_recall;
    const macro = (x) => x.snapshot.metrics.f1.macro.defined;
    assert.ok(recall(bce) < 0.1, `BCE drops the rarest label: recall ${recall(bce)}`);
    // Tuned per-label thresholds bring it part of the way back, without retraining.
    await byId(page, 'ml-tune').click();
    await page.waitForFunction(() => JSON.parse(window.imlab.multilabel()).config.multilabel.decision.kind === 'per_label_thresholds', null, { timeout: 10_000 });
    const tuned = await report(page);
    assert.equal(tuned.step, bce.step);
    assert.ok(recall(tuned) > recall(bce) && macro(tuned) > macro(bce),
      `tuned thresholds: recall ${recall(bce)} → ${recall(tuned)}, macro-F1 ${macro(bce)} → ${macro(tuned)}`);
    await screenshot(page, 'multilabel-preset-bce-tuned');
    // The asymmetric loss keeps more of it by training.
    await byId(page, 'preset').selectOption('multilabel-asl-thresholds');
    const asl = await page.waitForFunction(() => {
      const x = JSON.parse(window.imlab.multilabel());
      return x.config.multilabel.loss.kind === 'asymmetric' && x.step === x.total_steps ? x : null;
    }, null, { timeout: 180_000 }).then((h) => h.jsonValue());
    assert.equal(asl.snapshot.rarest_label, r);
    assert.ok(recall(asl) > recall(tuned), `ASL: rarest recall ${recall(asl)} (BCE tuned ${recall(tuned)})`);
    await screenshot(page, 'multilabel-preset-asl');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('multi-label bad input: partial labels drawn apart, a label left without a positive, a diverging learning rate, and the session kept', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&task=multilabel&multilabel.data.unknown_fraction=0.5&epochs=4', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    const run = await finished(page, 4);
    // Partial labels: half of each label's positives are unknown, counted apart and never as negatives.
    assert.ok(run.snapshot.train_unknown_entries > 0);
    assert.equal(await text(page, 'ml-measure-unknown'), String(run.snapshot.train_unknown_entries));
    assert.match(await page.locator('.label-plane-panel .legend').innerText(), /not annotated \(unknown: ignored by the loss\)/);
    await screenshot(page, 'multilabel-partial-labels');

    // A Setup change that leaves a label without any positive is refused with the engine's reason;
    // the running experiment is kept.
    const n = byId(page, 'field-multilabel-data-n-samples');
    await n.fill('8');
    await n.dispatchEvent('change');
    await byId(page, 'setup-error-data').waitFor({ timeout: 10_000 });
    assert.match(await text(page, 'setup-error-data'), /no known positive among 8 samples; raise n_samples/);
    const kept = await report(page);
    assert.equal(kept.config.multilabel.data.n_samples, 1000);
    assert.equal(kept.step, run.step);

    // The session is saved: opening the page without a link restores this experiment.
    await page.goto(app.base);
    const restored = await finished(page, 4);
    assert.deepEqual(restored.config, run.config);

    // A learning rate that diverges: caught at the step it appears, training pauses at the last
    // good state, no NaN reaches the history.
    const cfg = { ...run.config, optimizer: { kind: 'sgd', lr: 10, momentum: 0.99, weight_decay: 0, nesterov: false }, model: { ...run.config.model, hidden: [64, 64, 64], activation: 'gelu' } };
    assert.equal(await page.evaluate((c) => window.imlab.setConfig(JSON.stringify(c)), cfg), 'ok');
    if ((await byId(page, 'play-pause').getAttribute('aria-pressed')) !== 'true') await byId(page, 'play-pause').click();
    await byId(page, 'error').waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await text(page, 'error'), /training diverged at step \d+: the loss became (NaN|inf)\. Lower the learning rate and reset/);
    assert.equal(await byId(page, 'play-pause').getAttribute('aria-pressed'), 'false');
    const after = await report(page);
    assert.ok(after.snapshot.history.every((h) => Number.isFinite(h.train_loss) && Number.isFinite(h.test_loss)));
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test("the multi-label samplers' internals: MLSMOTE's segments, ML-RUS's removed rows", async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&task=multilabel&multilabel.sampler.kind=mlsmote&epochs=2', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    const smote = await finished(page, 2);
    assert.ok(smote.snapshot.added_rows > 0);
    const summary = byId(page, 'ml-internals-summary');
    await summary.waitFor({ timeout: 10_000 });
    assert.match(await summary.innerText(), new RegExp(`${smote.snapshot.added_rows} synthetic rows, each on the segment from a sample of a minority label`));
    assert.match(await summary.innerText(), /Minority labels \(IRLbl above MeanIR = [\d.]+\): [A-E]/);
    await byId(page, 'ml-plane').scrollIntoViewIfNeeded();
    await screenshot(page, 'multilabel-mlsmote-internals');
    await byId(page, 'ml-sampler-internals').uncheck();
    assert.equal(await byId(page, 'ml-sampler-internals').isChecked(), false);

    await byId(page, 'field-multilabel-sampler-kind').selectOption('ml_rus');
    const rus = await page.waitForFunction(() => {
      const x = JSON.parse(window.imlab.multilabel());
      return x.config.multilabel.sampler.kind === 'ml_rus' && x.step === x.total_steps ? x : null;
    }, null, { timeout: 60_000 }).then((h) => h.jsonValue());
    const removed = rus.snapshot.train_rows - rus.snapshot.resampled_rows;
    assert.ok(removed > 0);
    assert.match(await summary.innerText(), new RegExp(`${removed} rows removed from the bags of majority labels`));
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});
