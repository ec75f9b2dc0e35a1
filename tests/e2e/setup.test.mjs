// Setup panel (issue: experiment setup controls): changing a method through the panel restarts
// training and rewrites the link; an invalid combination is explained next to its section while
// the running experiment goes on; the ratio slider and the panel stay in step; every control is
// labelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, readInt, screenshot, snapshot } from './harness.mjs';

const stepOf = (page) => readInt(page, 'step');
const hashOf = (page) => page.evaluate(() => decodeURIComponent(location.hash));

async function waitSteps(page, atLeast) {
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) >= n,
    atLeast,
    { timeout: 30_000 },
  );
}

// Changes a select and waits for training to restart (step back near 0, then growing again).
async function chooseAndRestart(page, id, value) {
  await waitSteps(page, 30);
  const before = await stepOf(page);
  await byId(page, id).selectOption(value);
  await page.waitForFunction(
    (b) => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) < b,
    before,
    { timeout: 15_000 },
  );
}

test('methods change through the panel; each change restarts training and updates the URL', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu', viewport: { width: 1280, height: 900 } });
  const { page } = app;
  try {
    await byId(page, 'setup').waitFor({ timeout: 30_000 });
    await waitSteps(page, 10);

    // Sampler: SMOTE, with its explanation and its paper.
    await chooseAndRestart(page, 'field-sampler-kind', 'smote');
    await page.waitForFunction(() => location.hash.includes('sampler.kind=smote'), null, { timeout: 10_000 });
    const section = byId(page, 'setup-sampler');
    assert.match(await section.innerText(), /synthetic minority points/i);
    const paper = section.locator('a.paper').first();
    assert.equal(await paper.getAttribute('target'), '_blank');
    assert.equal(await paper.getAttribute('rel'), 'noopener');
    assert.match(await paper.getAttribute('href'), /^https:\/\//);
    assert.equal((await snapshot(page)).config.sampler.kind, 'smote');
    await waitSteps(page, 5);
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="play-pause"]').getAttribute('aria-pressed')), 'true', 'keeps playing');

    // A parameter of the method.
    const k = byId(page, 'field-sampler-k-neighbors');
    await k.fill('3');
    await k.dispatchEvent('change');
    await page.waitForFunction(() => location.hash.includes('sampler.k_neighbors=3'), null, { timeout: 10_000 });
    assert.equal((await snapshot(page)).config.sampler.k_neighbors, 3);

    // Loss: focal; model: one hidden layer of 8, tanh.
    await chooseAndRestart(page, 'field-loss-kind', 'focal');
    await page.waitForFunction(() => location.hash.includes('loss.kind=focal'), null, { timeout: 10_000 });
    assert.match(await byId(page, 'setup-loss').innerText(), /Lin et al\. 2017/);
    const hidden = byId(page, 'field-model-hidden');
    await waitSteps(page, 30);
    await hidden.fill('8');
    await hidden.dispatchEvent('change');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('model.hidden=[8]'), null, { timeout: 10_000 });
    await chooseAndRestart(page, 'field-model-activation', 'tanh');
    const cfg = (await snapshot(page)).config;
    assert.deepEqual(cfg.model.hidden, [8]);
    assert.equal(cfg.model.activation, 'tanh');
    assert.equal(cfg.loss.kind, 'focal');

    // Optimizer without serde defaults (SGD) gets full parameters from the panel.
    await chooseAndRestart(page, 'field-optimizer-kind', 'sgd');
    assert.equal((await snapshot(page)).config.optimizer.kind, 'sgd');
    assert.match(await hashOf(page), /optimizer\.kind=sgd/);
    await screenshot(page, 'setup-methods-changed');
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('an invalid combination is explained next to its section and training goes on', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&loss.kind=dice' });
  const { page } = app;
  try {
    await byId(page, 'setup').waitFor({ timeout: 30_000 });
    await waitSteps(page, 20);
    const hashBefore = await hashOf(page);
    // Deferred re-weighting needs class weights; Dice has none.
    await byId(page, 'field-schedule-drw').check();
    const err = byId(page, 'setup-error-training');
    await err.waitFor({ timeout: 10_000 });
    assert.match(await err.innerText(), /re-weighting needs a loss with class weights/);
    assert.match(await err.innerText(), /previous settings/);
    const s1 = await stepOf(page);
    await page.waitForTimeout(1000);
    const s2 = await stepOf(page);
    assert.ok(s2 > s1, `training goes on (${s1} -> ${s2})`);
    assert.equal(await hashOf(page), hashBefore, 'the link still describes the running experiment');
    assert.equal((await snapshot(page)).config.schedule.drw, null);

    // A value serde cannot read is refused the same way.
    const bs = byId(page, 'field-batch-size');
    await bs.fill('-3');
    await bs.dispatchEvent('change');
    await page.waitForFunction(
      () => /not a whole number/.test(document.querySelector('[data-testid="setup-error-training"]')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    await screenshot(page, 'setup-invalid-combination');

    // Switching to a loss with class weights makes the same DRW choice valid.
    await byId(page, 'field-loss-kind').selectOption('weighted_ce');
    await page.waitForFunction(() => location.hash.includes('loss.kind=weighted_ce'), null, { timeout: 10_000 });
    await byId(page, 'field-schedule-drw').check();
    await page.waitForFunction(() => location.hash.includes('schedule.drw'), null, { timeout: 10_000 });
    assert.equal(await byId(page, 'setup-error-training').count(), 0, 'the message is gone');
    assert.ok((await snapshot(page)).config.schedule.drw !== null);
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('the ratio slider and the panel stay in step; every control is labelled', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu' });
  const { page } = app;
  try {
    await byId(page, 'setup').waitFor({ timeout: 30_000 });
    await waitSteps(page, 5);
    await byId(page, 'ratio').fill('0.3');
    await byId(page, 'ratio').dispatchEvent('change');
    await page.waitForFunction(() => location.hash.includes('dataset.counts.ratio=0.3'), null, { timeout: 10_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="field-dataset-counts-ratio"]')?.value === '0.3',
      null,
      { timeout: 10_000 },
    );
    // And the other way: the panel's ratio moves the slider.
    const r = byId(page, 'field-dataset-counts-ratio');
    await r.fill('0.5');
    await r.dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('[data-testid="ratio"]').value === '0.5', null, { timeout: 10_000 });
    assert.equal((await snapshot(page)).config.dataset.counts.ratio, 0.5);

    // Data: generator, an imbalance profile with more classes, label noise.
    assert.equal(await byId(page, 'field-dataset-source-kind').inputValue(), 'generated');
    await byId(page, 'field-dataset-generator').selectOption('blobs');
    await page.waitForFunction(() => location.hash.includes('dataset.generator=blobs'), null, { timeout: 10_000 });
    await byId(page, 'field-dataset-counts-kind').selectOption('exponential');
    await page.waitForFunction(() => location.hash.includes('dataset.counts.kind=exponential'), null, { timeout: 10_000 });
    const classes = byId(page, 'field-dataset-counts-classes');
    await classes.fill('4');
    await classes.dispatchEvent('change');
    await page.waitForFunction(() => JSON.parse(window.imlab.snapshot()).train_counts.length === 4, null, { timeout: 10_000 });
    await byId(page, 'field-dataset-label-noise-kind').selectOption('uniform');
    await page.waitForFunction(() => location.hash.includes('dataset.label_noise.kind=uniform'), null, { timeout: 10_000 });
    assert.equal((await snapshot(page)).config.dataset.label_noise.rate, 0.1);

    // Accessible names for every control of the page.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, button')]
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unlabelled, [], 'controls without an accessible name');
    await screenshot(page, 'setup-panel');
  } finally {
    await app.close();
  }
});
