// Robustness meets imbalance (issue 15): robust evaluation from a link fills the disparity panel
// (clean vs robust recall per class, gap, ratio, sd, worst class) with the engine's numbers;
// adversarial training switched on in Setup restarts training and says so in the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imlabRun } from './cli.mjs';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';

const pct = (v) => (v === null || v === undefined ? 'undefined' : `${(v * 100).toFixed(1)}%`);

test('disparity panel: clean and robust recall per class from robust_eval; adversarial training from Setup', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&robust_eval.epsilon=0.5', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await page.waitForFunction(() => window.imlab && JSON.parse(window.imlab.snapshot()).epoch >= 3, null, { timeout: 60_000 });
    await byId(page, 'play-pause').click();
    await page.waitForTimeout(300);
    const snap = await snapshot(page);
    const r = snap.robust;
    assert.ok(r, 'the snapshot carries the robust evaluation');
    assert.equal(r.attack.epsilon, 0.5);
    assert.match(await byId(page, 'disparity-attack').innerText(), /pgd under linf, ε = 0\.5/);
    for (let c = 0; c < r.robust_recall.length; c++) {
      assert.equal(await byId(page, `robust-recall-${c}`).innerText(), pct(r.robust_recall[c]), `class ${c}`);
      assert.ok(r.robust_recall[c] <= r.clean_recall[c] + 1e-12, 'an attack never helps on this split');
    }
    const robustRow = await byId(page, 'disparity-robust').innerText();
    assert.ok(robustRow.includes(pct(r.robust_disparity.gap)), robustRow);
    assert.ok(r.robust_disparity.gap > r.clean_disparity.gap, 'the gap between classes widens under attack');
    await byId(page, 'disparity').scrollIntoViewIfNeeded();
    await screenshot(page, 'disparity-panel');

    // Setup → Robustness → Adversarial training: training restarts with it, the link carries it.
    await byId(page, 'field-adversarial').check();
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('adversarial.attack.epsilon='), null, { timeout: 10_000 });
    const eps = byId(page, 'field-adversarial-attack-epsilon');
    await eps.fill('0.3');
    await eps.dispatchEvent('change');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('adversarial.attack.epsilon=0.3'), null, { timeout: 10_000 });
    if ((await byId(page, 'play-pause').getAttribute('aria-pressed')) !== 'true') await byId(page, 'play-pause').click();
    await page.waitForFunction(() => {
      const s = JSON.parse(window.imlab.snapshot());
      return s.config.adversarial?.attack?.epsilon === 0.3 && s.epoch >= 2;
    }, null, { timeout: 60_000 });
    // The reweighting remedy: class weights inside the adversarial term, from Setup too.
    await byId(page, 'field-adversarial-class-weights').check();
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('adversarial.class_weights.scheme=inverse_frequency'), null, { timeout: 10_000 });
    await byId(page, 'field-adversarial-class-weights-scheme').selectOption('sklearn_balanced');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('adversarial.class_weights.scheme=sklearn_balanced'), null, { timeout: 10_000 });
    if ((await byId(page, 'play-pause').getAttribute('aria-pressed')) !== 'true') await byId(page, 'play-pause').click();
    const reweighted = await page.waitForFunction(() => {
      const s = JSON.parse(window.imlab.snapshot());
      return s.config.adversarial?.class_weights?.scheme === 'sklearn_balanced' && s.epoch >= 2 ? s : null;
    }, null, { timeout: 60_000 }).then((h) => h.jsonValue());
    const native = imlabRun(await page.evaluate(() => location.hash), 2);
    const strip = (h) => ({ epoch: h.epoch, step: h.step, train_loss: h.train_loss, test_loss: h.test_loss, balanced_accuracy: h.balanced_accuracy });
    assert.deepEqual(reweighted.history.slice(0, 2).map(strip), native.history.map(strip), 'the reweighted run is imlab run --link\'s');
    await byId(page, 'setup-robustness').scrollIntoViewIfNeeded();
    await screenshot(page, 'setup-robustness');
    assert.equal(await byId(page, 'error').isVisible().catch(() => false), false, 'no error');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('without robust evaluation the disparity panel says how to turn it on; hide=disparity hides it', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu' });
  const { page } = app;
  try {
    await byId(page, 'disparity-off').waitFor({ timeout: 30_000 });
    assert.match(await byId(page, 'disparity-off').innerText(), /Robust evaluation/);
  } finally {
    await app.close();
  }
  const hidden = await openApp({ hash: '#v=2&backend=cpu&hide=disparity' });
  try {
    await byId(hidden.page, 'decision-boundary').waitFor({ timeout: 30_000 });
    assert.equal(await byId(hidden.page, 'disparity').count(), 0);
  } finally {
    await hidden.close();
  }
});
