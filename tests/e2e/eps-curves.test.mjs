// Robustness meets imbalance (issue 15), the views over ε: the ε sweep's per-class recall curves
// (spread over animation frames, with progress and Cancel) and the ε-ball with the adversarial
// example drawn around a hovered point.
//
// What is deterministic: with training paused, the sweep attacks one fixed model, and every budget
// draws its PGD random starts from a fresh `robust_eval` stream, as the snapshot's robust
// evaluation does. So the curve at ε = 0 is the snapshot's clean recall and the curve at the
// configured ε is the snapshot's robust recall, exactly. What is not guaranteed: PGD is a local
// search, so a larger ball can miss an example a smaller one found; each class's recall is
// allowed to rise by at most one test row from one budget to the next, and overall accuracy must
// fall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';

const TOOLTIP = /predicted: class (\d+) clean → class (\d+) adversarial \(pgd linf, ε = 0\.5\) · prediction (flipped|holds)/;

// Moves the mouse over the boundary canvas on a grid until the tooltip matches `want`.
async function hoverUntil(page, want, step = 7) {
  const box = await byId(page, 'decision-boundary').boundingBox();
  for (let y = 4; y < box.height; y += step) {
    for (let x = 4; x < box.width; x += step) {
      await page.mouse.move(box.x + x, box.y + y);
      const tip = page.locator('[data-testid="point-tooltip"]');
      if (await tip.count()) {
        const text = await tip.innerText();
        if (want.test(text)) return { x, y, text };
      }
    }
  }
  return null;
}

async function pause(page) {
  if ((await byId(page, 'play-pause').getAttribute('aria-pressed')) === 'true') {
    await byId(page, 'play-pause').click();
  }
}

test('ε sweep: per-class recall curves from clean to robust; ε-ball and adversarial prediction on hover', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&robust_eval.epsilon=0.5', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await page.waitForFunction(() => window.imlab && JSON.parse(window.imlab.snapshot()).epoch >= 3, null, { timeout: 60_000 });
    await pause(page);
    await page.waitForTimeout(300);
    const snap = await snapshot(page);
    const r = snap.robust;
    assert.ok(r, 'robust evaluation is on');
    assert.match(await byId(page, 'eps-attack').innerText(), /pgd under linf, ε from 0 to 1 \(9 budgets; configured ε = 0\.5\)/);
    assert.equal(await byId(page, 'eps-curves').getAttribute('data-state'), 'idle');

    await byId(page, 'eps-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="eps-curves"]').dataset.state === 'done', null, { timeout: 60_000 });
    assert.equal(await byId(page, 'eps-progress').evaluate((p) => p.value), 1);
    assert.match(await byId(page, 'eps-status').innerText(), new RegExp(`Done: model of step ${snap.step}\\.`));

    const curves = JSON.parse(await byId(page, 'eps-curves').getAttribute('data-curves'));
    assert.equal(curves.step, snap.step, 'the paused model was attacked');
    assert.equal(curves.attack.epsilon, 0.5);
    const eps = curves.points.map((p) => p.epsilon);
    assert.deepEqual(eps, [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
    assert.deepEqual(curves.points[0].recall, r.clean_recall, 'ε = 0 is the clean recall');
    assert.deepEqual(curves.points[4].recall, r.robust_recall, 'the configured ε is the snapshot\'s robust recall');
    const k = r.clean_recall.length;
    for (let i = 1; i < curves.points.length; i++) {
      const [a, b] = [curves.points[i - 1], curves.points[i]];
      assert.ok(b.accuracy <= a.accuracy + 1e-12, `accuracy falls from ε=${a.epsilon} to ε=${b.epsilon}`);
      for (let c = 0; c < k; c++) {
        const oneRow = 1 / snap.test_counts[c];
        assert.ok(b.recall[c] <= a.recall[c] + oneRow + 1e-12, `class ${c} from ε=${a.epsilon} to ε=${b.epsilon}: ${a.recall[c]} → ${b.recall[c]}`);
      }
      assert.equal(b.worst, Math.min(...b.recall));
    }
    const last = curves.points.at(-1);
    assert.ok(last.worst < curves.points[0].worst, 'the worst class loses under the largest ball');
    await byId(page, 'eps-curves').scrollIntoViewIfNeeded();
    await screenshot(page, 'eps-curves');

    // Hover: a point whose prediction the attack flips, then one where it holds.
    await byId(page, 'decision-boundary').scrollIntoViewIfNeeded();
    const flipped = await hoverUntil(page, /prediction flipped/);
    assert.ok(flipped, 'some point is flipped by the attack at ε = 0.5');
    const m = flipped.text.match(TOOLTIP);
    assert.ok(m, flipped.text);
    assert.notEqual(m[1], m[2], 'the adversarial prediction differs from the clean one');
    assert.ok(Number(m[1]) < k && Number(m[2]) < k);
    assert.match(await byId(page, 'tooltip-attack').innerText(), TOOLTIP);
    await screenshot(page, 'eps-ball-hover');
    const box = await byId(page, 'decision-boundary').boundingBox();
    await page.mouse.move(box.x + box.width + 50, box.y + 10);
    assert.equal(await byId(page, 'point-tooltip').count(), 0);

    assert.equal(await byId(page, 'error').isVisible().catch(() => false), false, 'no error');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('under L2 the ε-ball is a circle and the tooltip names the L2 attack', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&robust_eval.epsilon=0.5&robust_eval.norm=l2', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await page.waitForFunction(() => window.imlab && JSON.parse(window.imlab.snapshot()).epoch >= 3, null, { timeout: 60_000 });
    await pause(page);
    const found = await hoverUntil(page, /prediction flipped/);
    assert.ok(found, 'some point is flipped by the L2 attack at ε = 0.5');
    assert.match(found.text, /predicted: class (\d+) clean → class (\d+) adversarial \(pgd l2, ε = 0\.5\)/);
    await screenshot(page, 'eps-ball-l2');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('on a principal-component plane the tooltip says the ε-ball is not drawn; hide=eps-curves hides the panel', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&robust_eval.epsilon=0.5&hide=eps-curves', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await byId(page, 'step').waitFor({ timeout: 30_000 });
    assert.equal(await byId(page, 'eps-curves').count(), 0);
    const snap = await snapshot(page);
    const answer = await page.evaluate(
      (c) => window.imlab.setConfig(JSON.stringify(c)),
      { ...snap.config, dataset: { ...snap.config.dataset, source: { kind: 'bundled', name: 'wine', standardize: true } } },
    );
    assert.equal(answer, 'ok', answer);
    await byId(page, 'plane-note').waitFor({ timeout: 10_000 });
    await pause(page);
    const found = await hoverUntil(page, /ε-ball not drawn/);
    assert.ok(found, 'a point was hovered on the PCA plane');
    assert.match(found.text, /this plane projects 13 features onto two/);
    await screenshot(page, 'eps-ball-pca');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

// On the default data one sweep (330 test rows × 9 budgets of 10-step PGD) fits in one 10 ms
// slice; with 100-step PGD it cannot, so the slices show: progress part-way, no long task from the
// sweep, and Cancel in the middle.
test('a sweep too big for one frame is split over frames, shows progress and can be cancelled', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&robust_eval.epsilon=0.5&robust_eval.method.steps=100', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await page.waitForFunction(() => window.imlab && JSON.parse(window.imlab.snapshot()).epoch >= 2, null, { timeout: 60_000 });
    await pause(page);
    await page.waitForTimeout(300);
    const snap = await snapshot(page);
    const seen = await page.evaluate(async () => {
      const longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
      const panel = document.querySelector('[data-testid="eps-curves"]');
      const progress = document.querySelector('[data-testid="eps-progress"]');
      document.querySelector('[data-testid="eps-run"]').click();
      const values = [];
      const t0 = performance.now();
      while (panel.dataset.state !== 'done' && performance.now() - t0 < 60_000) {
        await new Promise((r) => requestAnimationFrame(r));
        values.push(progress.value);
      }
      // Long-task entries are delivered after the task: give them a frame.
      await new Promise((r) => setTimeout(r, 100));
      return { values, longTasks, ms: performance.now() - t0 };
    });
    console.log(`sweep: ${seen.values.length} frames, ${Math.round(seen.ms)} ms; long tasks (ms): ${JSON.stringify(seen.longTasks.map(Math.round))}`);
    const partway = seen.values.filter((v) => v > 0 && v < 1);
    assert.ok(partway.length >= 1, `progress seen part-way, so the work took more than one frame: ${seen.values}`);
    for (let i = 1; i < seen.values.length; i++) assert.ok(seen.values[i] >= seen.values[i - 1], 'progress never goes back');
    assert.ok(seen.longTasks.every((d) => d < 50), `no task of 50 ms or more: ${seen.longTasks}`);
    const curves = JSON.parse(await byId(page, 'eps-curves').getAttribute('data-curves'));
    assert.equal(curves.step, snap.step);
    assert.deepEqual(curves.points[0].recall, snap.robust.clean_recall);
    assert.deepEqual(curves.points[4].recall, snap.robust.robust_recall, '100-step PGD at ε = 0.5, as the snapshot');

    // Cancel in the middle: the run stops, says so, and keeps no finished curves.
    // In the page, so that the click lands between two slices (the whole sweep takes a few frames).
    const at = await page.evaluate(async () => {
      const progress = document.querySelector('[data-testid="eps-progress"]');
      document.querySelector('[data-testid="eps-run"]').click();
      while (!(progress.value > 0 && progress.value < 1)) await new Promise((r) => requestAnimationFrame(r));
      document.querySelector('[data-testid="eps-cancel"]').click();
      return progress.value;
    });
    assert.ok(at > 0 && at < 1, `cancelled part-way, at ${at}`);
    assert.equal(await byId(page, 'eps-curves').getAttribute('data-state'), 'stopped');
    assert.match(await byId(page, 'eps-status').innerText(), /Cancelled/);
    const p = await byId(page, 'eps-progress').evaluate((e) => e.value);
    await page.waitForTimeout(300);
    assert.equal(await byId(page, 'eps-progress').evaluate((e) => e.value), p, 'nothing runs after Cancel');
    assert.ok(p < 1);
    assert.equal(await byId(page, 'eps-curves').getAttribute('data-curves'), null, 'no finished curves after Cancel');
    await byId(page, 'eps-curves').scrollIntoViewIfNeeded();
    await screenshot(page, 'eps-curves-cancelled');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});
