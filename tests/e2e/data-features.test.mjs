// Own data, the column picker (issue 7.6): choose which columns of an uploaded CSV file are the
// features. Unchecked columns are left out (even text ones), the label column is never a feature,
// none checked is refused with a message, and the choice goes into the link and the saved session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';
import { contentHash, pickFile, textOf, waitForStep } from './data-helpers.mjs';

/** Four numeric columns and a label; the classes differ in `height` and `score`. */
function fourFeatureCsv() {
  const lines = ['height,weight,age,score,outcome'];
  for (let i = 0; i < 120; i++) {
    const rare = i % 5 === 0;
    const a = ((i * 7919) % 1000) / 1000 - 0.5;
    const b = ((i * 104729 + 17) % 1000) / 1000 - 0.5;
    const height = (rare ? 2 : 0) + a;
    const score = (rare ? 1 : 0) + b;
    lines.push(`${height.toFixed(4)},${50 + ((i * 31) % 40)},${20 + ((i * 17) % 50)},${score.toFixed(4)},${rare ? 'rare' : 'common'}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('unchecking feature columns trains on the rest, and the link and a reload keep the choice', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await waitForStep(page, 1);
    const csv = fourFeatureCsv();
    await pickFile(page, csv, 'measurements.csv');
    await byId(page, 'data-preview').waitFor({ timeout: 10_000 });

    // Every column but the label is checked; the label's box is disabled.
    for (const j of [0, 1, 2, 3]) {
      assert.ok(await byId(page, `data-feature-${j}`).isChecked(), `column ${j} starts checked`);
      assert.ok(await byId(page, `data-feature-${j}`).isEnabled());
    }
    assert.ok(await byId(page, 'data-feature-4').isDisabled(), 'the label column is not a feature');
    assert.ok(!(await byId(page, 'data-feature-4').isChecked()));
    assert.equal(await textOf(page, 'data-features-used'), 'Features used (4 of 4): height, weight, age, score');

    // None checked: a clear message, and nothing can be applied.
    await byId(page, 'data-features-none').click();
    assert.equal(await textOf(page, 'data-features-used'), 'Features used: none of 4');
    await byId(page, 'data-error').waitFor({ state: 'visible' });
    assert.match(await textOf(page, 'data-error'), /No feature column is checked: check at least one column/);
    assert.ok(await byId(page, 'data-apply').isDisabled());
    await byId(page, 'data-features-all').click();
    assert.ok(await byId(page, 'data-error').isHidden());

    // Choosing another label takes it out of the features (and the old label, checked, becomes a
    // feature, as before the picker existed: here a text one, so it is refused); choosing it back
    // restores the choice.
    await byId(page, 'data-label-column').selectOption('3');
    assert.ok(await byId(page, 'data-feature-3').isDisabled());
    assert.ok(await byId(page, 'data-feature-4').isEnabled());
    assert.equal(await textOf(page, 'data-features-used'), 'Features used (4 of 4): height, weight, age, outcome');
    assert.match(await textOf(page, 'data-error'), /line 2, column 5 \("outcome"\): "rare" is not a number/);
    await byId(page, 'data-label-column').selectOption('4');
    assert.equal(await textOf(page, 'data-features-used'), 'Features used (4 of 4): height, weight, age, score');

    // Uncheck weight and age: the preview greys them out, the summary still counts every row.
    await byId(page, 'data-feature-1').uncheck();
    await byId(page, 'data-feature-2').uncheck();
    assert.equal(await textOf(page, 'data-features-used'), 'Features used (2 of 4): height, score');
    const unused = await byId(page, 'data-preview').locator('th.unused-col').allInnerTexts();
    assert.deepEqual(unused.map((h) => h.trim()), ['weight', 'age']);
    assert.match(await textOf(page, 'data-summary'), /120 rows, 2 features, 2 classes \(“common” 96, “rare” 24\)/);
    await byId(page, 'data-features').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-feature-picker');

    await byId(page, 'data-apply').click();
    const hash = contentHash(csv);
    await page.waitForFunction(
      (h) => {
        const s = JSON.parse(window.imlab.snapshot());
        return s.config.dataset.source?.hash === h && s.config.dataset.source.features !== undefined;
      },
      hash,
      { timeout: 20_000 },
    );
    let snap = await snapshot(page);
    assert.deepEqual(snap.config.dataset.source.features, ['height', 'score']);
    assert.equal(snap.n_features, 2, 'the model trains on two features');
    // The Setup panel shows the same choice, editable as text.
    assert.equal(await byId(page, 'field-dataset-source-features').inputValue(), 'height,score');
    assert.equal(snap.train_counts.reduce((a, b) => a + b, 0) + snap.test_counts.reduce((a, b) => a + b, 0), 120);
    await waitForStep(page, snap.step + 5);
    // Two features: the plain plot with the boundary, no principal-components note.
    assert.equal(await byId(page, 'plane-note').count(), 0);
    assert.match(await page.evaluate(() => location.hash), /dataset\.source\.features=\[height,score\]/);
    assert.match(await textOf(page, 'data-current'), /features: height, score/);
    await byId(page, 'decision-boundary').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-features-training');

    // A reload restores the experiment with the same two features (saved session + link).
    await page.reload();
    await waitForStep(page, 1);
    snap = await snapshot(page);
    assert.deepEqual(snap.config.dataset.source.features, ['height', 'score']);
    assert.equal(snap.config.dataset.source.hash, hash);
    assert.equal(snap.n_features, 2);
    assert.ok(!(await byId(page, 'data-needed').isVisible()), 'the file was kept, nothing is asked');

    // The Setup panel's text field edits the list, in the order typed (the first two are the axes).
    const field = byId(page, 'field-dataset-source-features');
    await field.fill('score, 0');
    await field.dispatchEvent('change');
    await page.waitForFunction(
      () => JSON.stringify(JSON.parse(window.imlab.snapshot()).config.dataset.source.features) === '["score",0]',
      null,
      { timeout: 20_000 },
    );
    assert.match(await page.evaluate(() => location.hash), /dataset\.source\.features=\[score,0\]/);
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

test('a text column can be left out; a link choosing a missing column names it', async () => {
  const app = await openApp();
  const { page, base } = app;
  try {
    await waitForStep(page, 1);
    const lines = ['id,x,y,label'];
    for (let i = 0; i < 40; i++) lines.push(`p${i},${i % 7},${(i * 13) % 5},${i % 4 === 0 ? 'b' : 'a'}`);
    const csv = Buffer.from(lines.join('\n') + '\n');
    await pickFile(page, csv, 'with-ids.csv');
    await byId(page, 'data-preview').waitFor({ timeout: 10_000 });
    // Every column: the id column is refused, by line and column.
    assert.match(await textOf(page, 'data-error'), /line 2, column 1 \("id"\): "p0" is not a number/);
    await byId(page, 'data-feature-0').uncheck();
    assert.ok(await byId(page, 'data-error').isHidden());
    await byId(page, 'data-apply').click();
    await page.waitForFunction(
      () => JSON.parse(window.imlab.snapshot()).config.dataset.source?.features?.length === 2,
      null,
      { timeout: 20_000 },
    );
    assert.deepEqual((await snapshot(page)).config.dataset.source.features, ['x', 'y']);

    // The same file, a link naming a column it lacks: the load is refused with the column's name.
    const hash = contentHash(csv);
    await page.goto(`${base}#dataset.source.kind=uploaded&dataset.source.hash=${hash}&dataset.source.features=x,z`);
    await page.reload();
    await byId(page, 'error').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await textOf(page, 'error'), /no column named "z" to use as a feature/);
  } finally {
    await app.close();
  }
});
