// Walking skeleton (issue 2): the default experiment trains on open, on WebGPU, and the live views
// and controls behave as a person would expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, readInt, screenshot, snapshot } from './harness.mjs';

test('default experiment trains on WebGPU and the views stay consistent', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await byId(page, 'step').waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 20,
      null,
      { timeout: 30_000 },
    );
    const backend = (await byId(page, 'backend').innerText()).trim();
    assert.match(backend, /webgpu/i, `the badge should name a WebGPU adapter, got "${backend}"`);

    const s1 = await readInt(page, 'step');
    await page.waitForTimeout(1500);
    const s2 = await readInt(page, 'step');
    assert.ok(s2 > s1, `the step counter should grow while playing (${s1} -> ${s2})`);

    // Pause so that the cells and the snapshot describe the same step.
    await byId(page, 'play-pause').click();
    await page.waitForTimeout(300);
    const p1 = await readInt(page, 'step');
    await page.waitForTimeout(1200);
    const p2 = await readInt(page, 'step');
    assert.equal(p2, p1, 'pause stops the step counter');

    const snap = await snapshot(page);
    assert.equal(snap.step, p2, 'the snapshot is of the step shown');
    const k = snap.confusion.n_classes;
    let total = 0;
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const cell = await readInt(page, `cm-${t}-${p}`);
        assert.equal(cell, snap.confusion.counts[t * k + p], `cell cm-${t}-${p}`);
        total += cell;
      }
    }
    const testSize = snap.test_counts.reduce((a, b) => a + b, 0);
    assert.equal(total, testSize, 'confusion matrix counts sum to the test-split size');
    for (const id of ['accuracy', 'balanced-accuracy', 'recall-0', 'recall-1']) {
      assert.match(await byId(page, id).first().innerText(), /\d/, `${id} shows a number`);
    }
    await screenshot(page, 'skeleton-training');

    await byId(page, 'step-once').click();
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) === before + 1,
      p2,
      { timeout: 10_000 },
    );

    const before = (await snapshot(page)).train_counts;
    await byId(page, 'ratio').fill('0.3');
    await byId(page, 'ratio').dispatchEvent('change');
    await page.waitForFunction(
      (b) => JSON.stringify(JSON.parse(window.imlab.snapshot()).train_counts) !== JSON.stringify(b),
      before,
      { timeout: 15_000 },
    );
    const after = (await snapshot(page)).train_counts;
    assert.ok(after[1] > before[1], `more minority samples after raising the ratio (${before} -> ${after})`);

    await byId(page, 'reset').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) < 5,
      null,
      { timeout: 10_000 },
    );
    await screenshot(page, 'skeleton-after-controls');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('without WebGPU the CPU path trains, with a visible notice', async () => {
  const app = await openApp({ webgpu: false });
  const { page } = app;
  try {
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 20,
      null,
      { timeout: 30_000 },
    );
    const backend = (await byId(page, 'backend').innerText()).trim();
    assert.match(backend, /cpu/i, `badge should say CPU, got "${backend}"`);
    assert.match(await page.locator('body').innerText(), /WebGPU/i, 'a notice mentions WebGPU');
    await screenshot(page, 'skeleton-cpu-fallback');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('keyboard: space plays and pauses, → steps once, r resets; keys typed into a field stay there', async () => {
  const app = await openApp({ webgpu: false });
  const { page } = app;
  const step = () => readInt(page, 'step');
  try {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 20, null, {
      timeout: 30_000,
    });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(' ');
    await page.waitForTimeout(300);
    const paused = await step();
    await page.waitForTimeout(800);
    assert.equal(await step(), paused, 'space pauses');

    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) === s + 1, paused, {
      timeout: 10_000,
    });
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) === s + 2, paused, {
      timeout: 10_000,
    });

    // A space typed into a text field is text, not Play.
    await byId(page, 'sweep-seeds').fill('');
    await byId(page, 'sweep-seeds').type('1 2');
    assert.equal(await byId(page, 'sweep-seeds').inputValue(), '1 2');
    await page.waitForTimeout(600);
    assert.equal(await step(), paused + 2, 'still paused after typing a space into a field');

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) === 0, null, {
      timeout: 10_000,
    });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) > 5, null, {
      timeout: 20_000,
    });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});
