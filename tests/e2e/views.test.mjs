// Live views (issue: every view and the decision rule): extra scores, confusion options, per-class
// table, class counts, curves, the decision rule moving every view without retraining, sampler
// internals, hover tooltips, and data with more than two features. Screenshots at 1280×800 and
// 1280×720.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, readInt, screenshot, snapshot } from './harness.mjs';

const stepOf = () => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, ''));

async function trainThenPause(page, minStep) {
  await byId(page, 'step').waitFor({ timeout: 30_000 });
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > n, minStep, { timeout: 60_000 });
  await byId(page, 'play-pause').click();
  await page.waitForTimeout(400);
}

async function cellsOf(page, k) {
  const out = [];
  for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) out.push((await byId(page, `cm-${t}-${p}`).innerText()).trim());
  return out;
}

async function setConfig(page, edit) {
  const snap = await snapshot(page);
  const config = edit(snap.config);
  const answer = await page.evaluate((c) => window.imlab.setConfig(JSON.stringify(c)), config);
  assert.equal(answer, 'ok', `config accepted: ${answer}`);
}

// Moves the mouse over the boundary canvas on a grid until the tooltip shows text matching `want`.
async function hoverUntil(page, want, step = 7) {
  const box = await byId(page, 'decision-boundary').boundingBox();
  for (let y = 4; y < box.height; y += step) {
    for (let x = 4; x < box.width; x += step) {
      await page.mouse.move(box.x + x, box.y + y);
      const tip = page.locator('[data-testid="point-tooltip"]');
      if (await tip.count()) {
        const text = await tip.innerText();
        if (want.test(text)) return text;
      }
    }
  }
  return null;
}

test('scores, confusion options, tables, curves and the decision rule', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 5, null, { timeout: 60_000 });
    const earlyEce = (await byId(page, 'ece').innerText()).trim();
    await trainThenPause(page, 150);
    // The charts follow training (they once stopped redrawing after the first frames).
    assert.notEqual((await byId(page, 'ece').innerText()).trim(), earlyEce, 'the calibration view updates while training');
    const snap = await snapshot(page);
    const k = snap.confusion.n_classes;
    for (const id of ['macro-f1', 'g-mean', 'mcc', 'per-class-table', 'class-counts', 'metric-curves', 'roc-curve', 'pr-curve', 'calibration', 'ece', 'decision-rule']) {
      assert.equal(await byId(page, id).count(), 1, `${id} is on the page`);
    }
    assert.equal((await byId(page, 'macro-f1').innerText()).trim(), `${(snap.macro_f1 * 100).toFixed(1)}%`);
    assert.equal((await byId(page, 'mcc').innerText()).trim(), snap.mcc.toFixed(3));
    assert.ok(!/nan/i.test(await page.locator('main').innerText()), 'no NaN anywhere');
    assert.equal(await readInt(page, 'count-train-1'), snap.train_counts[1]);
    assert.equal(await readInt(page, 'count-resampled-0'), snap.resampled_counts[0]);
    assert.equal(await readInt(page, 'count-test-1'), snap.test_counts[1]);
    assert.match(await byId(page, 'auc-1').innerText(), /^0\.\d{3}$|^1\.000$/);

    // Row-normalized: each row of shares sums to about 100%.
    await byId(page, 'cm-normalize').click();
    const shares = (await cellsOf(page, k)).map((t) => Number.parseFloat(t));
    for (let t = 0; t < k; t++) {
      const row = shares.slice(t * k, t * k + k).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(row - 100) <= k, `row ${t} shares sum to ~100 (${row})`);
    }
    await byId(page, 'cm-normalize').click();
    // The training split's matrix counts the original training rows.
    await byId(page, 'cm-split').click();
    assert.equal(await byId(page, 'confusion-matrix').getAttribute('data-split'), 'train');
    const trainCells = (await cellsOf(page, k)).map(Number);
    assert.equal(trainCells.reduce((a, b) => a + b, 0), snap.train_counts.reduce((a, b) => a + b, 0));
    await byId(page, 'cm-split').click();
    await screenshot(page, 'views-default-800');

    // Decision rule: a low threshold moves every view, without a single training step.
    const recallBefore = snap.per_class[1].recall;
    await byId(page, 'decision-rule').selectOption('threshold');
    await byId(page, 'threshold').waitFor();
    await byId(page, 'threshold').fill('0.02');
    await page.waitForFunction(() => JSON.parse(window.imlab.snapshot()).config.posthoc.threshold === 0.02, null, { timeout: 5000 });
    const after = await snapshot(page);
    assert.equal(after.step, snap.step, 'no retraining');
    assert.equal(after.config.posthoc.kind, 'threshold');
    assert.ok(after.per_class[1].recall >= recallBefore, `minority recall does not fall (${recallBefore} -> ${after.per_class[1].recall})`);
    const predictedOnes = (s) => s.confusion.counts[1] + s.confusion.counts[3];
    assert.ok(predictedOnes(after) > predictedOnes(snap), `more rows predicted class 1 (${predictedOnes(snap)} -> ${predictedOnes(after)})`);
    const cells = (await cellsOf(page, k)).map(Number);
    assert.deepEqual(cells, after.confusion.counts, 'the matrix shows the re-decided counts');
    assert.equal((await byId(page, 'recall-1').innerText()).trim(), `${(after.per_class[1].recall * 100).toFixed(1)}%`);
    await screenshot(page, 'views-threshold-800');
    await page.screenshot({ path: new URL('./screenshots/views-threshold-full.png', import.meta.url).pathname, fullPage: true });

    await byId(page, 'decision-rule').selectOption('logit_adjustment');
    await byId(page, 'logit-tau').waitFor();
    await byId(page, 'logit-tau').fill('2');
    await page.waitForFunction(() => JSON.parse(window.imlab.snapshot()).config.posthoc.tau === 2, null, { timeout: 5000 });
    const tau = await snapshot(page);
    assert.equal(tau.step, snap.step);
    assert.ok(tau.per_class[1].recall >= recallBefore);

    // Training goes on with the rule.
    await byId(page, 'play-pause').click();
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) > s + 30, snap.step, { timeout: 30_000 });
    assert.equal((await snapshot(page)).config.posthoc.kind, 'logit_adjustment');

    // Hover: a test point says so.
    await byId(page, 'play-pause').click();
    const tip = await hoverUntil(page, /test row/);
    assert.ok(tip, 'hovering finds a test point');
    await screenshot(page, 'views-tooltip-800');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('sampler internals, synthetic points and their tooltip (1280×720)', async () => {
  const app = await openApp({ viewport: { width: 1280, height: 720 } });
  const { page } = app;
  try {
    await byId(page, 'step').waitFor({ timeout: 30_000 });
    await setConfig(page, (c) => ({ ...c, sampler: { kind: 'borderline1' } }));
    await byId(page, 'sampler-internals').waitFor({ timeout: 10_000 });
    assert.match(await byId(page, 'internals-summary').innerText(), /danger \d+ · safe \d+ · noise \d+/);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 60, null, { timeout: 60_000 });
    await byId(page, 'play-pause').click();
    const snap = await snapshot(page);
    assert.ok(snap.resampled_counts[1] > snap.train_counts[1], 'the minority was over-sampled');
    assert.equal(snap.confusion.counts.reduce((a, b) => a + b, 0), snap.test_counts.reduce((a, b) => a + b, 0), 'only test rows are evaluated');
    const tip = await hoverUntil(page, /synthetic/, 5);
    assert.ok(tip, 'a synthetic point is found by hovering');
    assert.match(tip, /between train rows \d+ and \d+ · trained on, never evaluated/);
    await screenshot(page, 'views-borderline-720');
    // The overlay can be switched off.
    const draws = await page.evaluate(() => window.imlab.boundaryDraws());
    await byId(page, 'sampler-internals').uncheck();
    await page.waitForFunction((d) => window.imlab.boundaryDraws() > d, draws, { timeout: 5000 });
    await screenshot(page, 'views-borderline-off-720');

    await setConfig(page, (c) => ({ ...c, sampler: { kind: 'tomek_links' } }));
    await page.waitForTimeout(300);
    assert.match(await byId(page, 'internals-summary').innerText(), /\d+ training rows removed/);
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('more than two features: principal components, no boundary, three classes', async () => {
  const app = await openApp({ viewport: { width: 1280, height: 720 } });
  const { page } = app;
  try {
    await byId(page, 'step').waitFor({ timeout: 30_000 });
    await setConfig(page, (c) => ({
      ...c,
      dataset: { ...c.dataset, source: { kind: 'bundled', name: 'wine', standardize: true } },
    }));
    await byId(page, 'plane-note').waitFor({ timeout: 10_000 });
    assert.match(await byId(page, 'plane-note').innerText(), /13 features: points shown on their first two principal components/);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 40, null, { timeout: 60_000 });
    const snap = await snapshot(page);
    assert.equal(snap.confusion.n_classes, 3);
    for (const id of ['cm-2-2', 'recall-2', 'f1-2', 'count-test-2', 'auc-2']) {
      assert.equal(await byId(page, id).count(), 1, `${id} exists`);
    }
    // Threshold is for two classes only.
    assert.equal(await page.locator('[data-testid="decision-rule"] option[value="threshold"]').isDisabled(), true);
    await screenshot(page, 'views-wine-720');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});
