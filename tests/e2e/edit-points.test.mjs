// Point editing on the decision-boundary plot (issue 6.3): pick a class, click the plot to add a
// training point of it, Shift-click to remove the nearest training point; the edits restart the
// experiment, go into the link, survive a reload, and "Clear edits" undoes them. Data with more
// than two features says editing is off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imlabRun } from './cli.mjs';
import { byId, openApp, screenshot, snapshot, runSteps } from './harness.mjs';

const edits = (snap) => snap.config.dataset.edits ?? {};
const nAdd = (snap) => (edits(snap).add ?? []).length;
const nRemove = (snap) => (edits(snap).remove ?? []).length;

async function ready(page) {
  await byId(page, 'decision-boundary').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'CPU', null, {
    timeout: 30_000,
  });
}

async function waitForEdits(page, add, remove) {
  await page.waitForFunction(
    ([a, r]) => {
      const e = JSON.parse(window.imlab.snapshot()).config?.dataset?.edits ?? {};
      return (e.add ?? []).length === a && (e.remove ?? []).length === r;
    },
    [add, remove],
    { timeout: 15_000 },
  );
}

async function trainCount(page, c) {
  return Number((await byId(page, `count-train-${c}`).innerText()).replace(/\D/g, ''));
}

// Moves the mouse over the canvas on a grid until the tooltip text matches `want`; returns the
// position (relative to the canvas) and the text.
async function hoverUntil(page, want, step = 6) {
  const box = await byId(page, 'decision-boundary').boundingBox();
  for (let y = 20; y < box.height - 20; y += step) {
    for (let x = 20; x < box.width - 20; x += step) {
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

test('click adds a training point of the picked class, Shift-click removes, link and reload keep it, clear resets', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu' });
  const { page } = app;
  try {
    await ready(page);
    // Paused, so that a restart shows as step 0.
    if ((await byId(page, 'play-pause').getAttribute('aria-pressed')) === 'true') {
      await byId(page, 'play-pause').click();
    }
    const canvas = byId(page, 'decision-boundary');
    const before = await snapshot(page);
    assert.equal(nAdd(before) + nRemove(before), 0);
    assert.equal(await byId(page, 'edits-count').getAttribute('data-count'), '0');
    assert.equal(await byId(page, 'edits-clear').isDisabled(), true);

    // Without a picked class a click changes nothing.
    const box = await canvas.boundingBox();
    const at = { x: Math.round(box.width * 0.5), y: Math.round(box.height * 0.45) };
    await canvas.click({ position: at });
    await page.waitForTimeout(300);
    assert.equal(nAdd(await snapshot(page)), 0, 'no class picked: no edit');

    // Pick class 1 (the minority) and click: one more class-1 training point, test split unchanged.
    await byId(page, 'edit-class-1').click();
    assert.equal(await byId(page, 'edit-class-1').getAttribute('aria-pressed'), 'true');
    assert.match(await byId(page, 'edit-hint').innerText(), /class 1/);
    await canvas.click({ position: at });
    await waitForEdits(page, 1, 0);
    const added = await snapshot(page);
    assert.equal(edits(added).add[0].split(':')[0], '1', `the point is of class 1: ${edits(added).add[0]}`);
    assert.equal(added.train_counts[1], before.train_counts[1] + 1);
    assert.equal(added.train_counts[0], before.train_counts[0]);
    assert.deepEqual(added.test_counts, before.test_counts, 'added points are never evaluated');
    assert.deepEqual(added.edits, { removed: 0, unmatched: 0, added: 1 });
    assert.equal(added.step, 0, 'the experiment restarted at step 0');
    assert.equal(await trainCount(page, 1), before.train_counts[1] + 1, 'class counts panel follows');
    assert.equal(await byId(page, 'edits-count').getAttribute('data-count'), '1');
    assert.match(await byId(page, 'edits-count').innerText(), /1 point edit \(1 added, 0 removed\)/);
    await page.waitForFunction(() => location.hash.includes('dataset.edits.add=%5B1:') || location.hash.includes('dataset.edits.add=[1:'));
    const hash = await page.evaluate(() => location.hash);
    // Hovering the click position finds the added point.
    await page.mouse.move(box.x + at.x, box.y + at.y);
    await page.waitForTimeout(100);
    assert.match(await byId(page, 'point-tooltip').innerText(), /added by you/);
    await screenshot(page, 'edit-points-added');

    // Reload: the link brings the edit back.
    await page.reload();
    await ready(page);
    const reloaded = await snapshot(page);
    assert.deepEqual(edits(reloaded), edits(added), `reload keeps the edit (${hash})`);
    assert.equal(reloaded.train_counts[1], before.train_counts[1] + 1);
    // The bare address restores the saved session, edits included.
    await page.goto(app.base);
    await ready(page);
    await waitForEdits(page, 1, 0);
    assert.deepEqual(edits(await snapshot(page)), edits(added), 'the saved session keeps the edit');

    // Shift-click on the added point removes that addition (no removal entry is written).
    await byId(page, 'edit-class-1').click();
    await canvas.click({ position: at, modifiers: ['Shift'] });
    await waitForEdits(page, 0, 0);
    assert.deepEqual((await snapshot(page)).train_counts, before.train_counts);
    assert.ok(!(await page.evaluate(() => location.hash)).includes('edits'), 'link without edits');

    // Shift-click on a generated class-0 training point removes it.
    const found = await hoverUntil(page, /^train row \d+ · class 0$/);
    assert.ok(found, 'a class-0 training point was found by hovering');
    await canvas.click({ position: { x: found.x, y: found.y }, modifiers: ['Shift'] });
    await waitForEdits(page, 0, 1);
    const removed = await snapshot(page);
    assert.equal(removed.train_counts[0], before.train_counts[0] - 1);
    assert.equal(removed.edits.removed, 1);
    assert.deepEqual(removed.test_counts, before.test_counts);
    assert.match(await page.evaluate(() => location.hash), /dataset\.edits\.remove=/);

    // Shift-click far from every point: nothing happens, no error.
    await canvas.click({ position: { x: 3, y: 3 }, modifiers: ['Shift'] });
    await page.waitForTimeout(300);
    assert.equal(nRemove(await snapshot(page)), 1);
    assert.equal(await byId(page, 'error').isVisible(), false, 'no error shown');

    // Two more added points (class 0 now), then clear.
    await byId(page, 'edit-class-0').click();
    await canvas.click({ position: { x: Math.round(box.width * 0.3), y: Math.round(box.height * 0.3) } });
    await waitForEdits(page, 1, 1);
    await canvas.click({ position: { x: Math.round(box.width * 0.7), y: Math.round(box.height * 0.7) } });
    await waitForEdits(page, 2, 1);
    assert.equal(await byId(page, 'edits-count').getAttribute('data-count'), '3');
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7);
    await screenshot(page, 'edit-points-three-edits');
    await byId(page, 'edits-clear').click();
    await waitForEdits(page, 0, 0);
    const cleared = await snapshot(page);
    assert.deepEqual(cleared.train_counts, before.train_counts);
    assert.deepEqual(cleared.edits, { removed: 0, unmatched: 0, added: 0 });
    assert.ok(!(await page.evaluate(() => location.hash)).includes('edits'));
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('a link with edits reproduces them, in the browser and in `imlab run --link`', async () => {
  const hash = '#v=2&backend=cpu&dataset.edits.add=1:0.5:0.25,1:1:-0.25&dataset.edits.remove=[9:9]';
  const app = await openApp({ hash });
  const { page } = app;
  try {
    await ready(page);
    const snap = await snapshot(page);
    assert.deepEqual(edits(snap), { add: ['1:0.5:0.25', '1:1:-0.25'], remove: ['9:9'] });
    assert.deepEqual(snap.edits, { removed: 0, unmatched: 1, added: 2 });
    assert.match(await byId(page, 'edits-count').innerText(), /1 removal matches no training point/);
    // One epoch in the browser (CPU path) and natively: the same numbers.
    const native = imlabRun(hash, 1);
    const k = native.final.step;
    const browser = await runSteps(page, k);
    assert.deepEqual(native.config.dataset.edits, edits(browser));
    assert.deepEqual(native.final.train_counts, browser.train_counts);
    assert.deepEqual(native.final.test_counts, browser.test_counts);
    assert.equal(native.final.test_loss, browser.test_loss, 'same test loss after the same steps');
    assert.equal(native.final.accuracy, browser.accuracy);

    await screenshot(page, 'edit-points-from-link');
  } finally {
    await app.close();
  }
});

test('a cluster of added minority points bends the boundary (screenshot)', async () => {
  const cluster = [
    [-0.9, -0.5], [-0.75, -0.65], [-1.05, -0.7], [-0.85, -0.85], [-0.6, -0.5], [-1.0, -0.4], [-0.7, -0.9], [-0.95, -0.6],
  ].map(([x, y]) => `1:${x}:${y}`);
  const app = await openApp({ hash: `#v=2&backend=cpu&dataset.edits.add=[${cluster.join(',')}]` });
  const { page } = app;
  try {
    await ready(page);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 900, null, {
      timeout: 60_000,
    });
    await byId(page, 'play-pause').click();
    await byId(page, 'edit-class-1').click();
    const snap = await snapshot(page);
    assert.equal(snap.edits.added, cluster.length);
    await page.mouse.move(0, 0);
    await byId(page, 'decision-boundary').scrollIntoViewIfNeeded();
    await screenshot(page, 'edit-points-boundary-bends');
  } finally {
    await app.close();
  }
});

test('a tampered edit in a link is named; data with many features turns editing off', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&seed=5&dataset.edits.add=[1:0.5]' });
  const { page } = app;
  try {
    await ready(page);
    // The notice names the key, the rest of the link applies.
    const notice = byId(page, 'link-issues');
    await notice.waitFor({ timeout: 10_000 });
    assert.match(await notice.innerText(), /dataset\.edits\.add/);
    const tampered = await snapshot(page);
    assert.equal(tampered.config.seed, 5);
    assert.equal(nAdd(tampered), 0);

    // Wine has 13 features: the plot shows principal components and says editing is off.
    const answer = await page.evaluate(() => {
      const c = JSON.parse(window.imlab.snapshot()).config;
      c.dataset = { ...c.dataset, source: { kind: 'bundled', name: 'wine', standardize: true } };
      return window.imlab.setConfig(JSON.stringify(c));
    });
    assert.equal(answer, 'ok');
    await byId(page, 'edit-off-note').waitFor({ timeout: 10_000 });
    assert.match(await byId(page, 'edit-off-note').innerText(), /13 features/);
    assert.equal(await byId(page, 'edit-class-0').count(), 0);
    await screenshot(page, 'edit-points-off-for-wine');
  } finally {
    await app.close();
  }
});

test('changing the data in Setup clears the point edits made on the old data, and says so', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&dataset.edits.add=[1:0.5:0.25,1:0.6:0.3]' });
  const { page } = app;
  try {
    await ready(page);
    assert.equal(await byId(page, 'edits-count').getAttribute('data-count'), '2');
    assert.equal(await byId(page, 'edits-dropped-note').isVisible(), false);
    // Another noise level keeps them: the plane is the same.
    await byId(page, 'field-dataset-noise').fill('0.25');
    await byId(page, 'field-dataset-noise').dispatchEvent('change');
    await page.waitForFunction(() => JSON.parse(window.imlab.snapshot()).config.dataset.noise === 0.25, null, { timeout: 10_000 });
    assert.equal(nAdd(await snapshot(page)), 2, 'a noise change keeps the edits');
    // Another generator is other data: the edits go, with a note.
    await byId(page, 'field-dataset-generator').selectOption('spiral');
    await page.waitForFunction(() => location.hash.includes('dataset.generator=spiral'), null, { timeout: 10_000 });
    await waitForEdits(page, 0, 0);
    await byId(page, 'edits-dropped-note').waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await byId(page, 'edits-dropped-note').innerText(), '2 point edits were cleared: they were made on the previous data.');
    assert.ok(!(await page.evaluate(() => location.hash)).includes('dataset.edits'), 'the link has no edits');
    // The next edit by hand retires the note.
    await byId(page, 'edit-class-0').click();
    const box = await byId(page, 'decision-boundary').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitForEdits(page, 1, 0);
    await page.waitForFunction(() => document.querySelector('[data-testid="edits-dropped-note"]').hidden, null, { timeout: 10_000 });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});
