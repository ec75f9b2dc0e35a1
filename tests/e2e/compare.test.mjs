// A/B comparison: B = the current experiment with ROS; both train on the same data and split, and
// the table shows both columns with the differences coloured; a B equal to A is refused. "Train on:
// Automatic" picks the CPU path on a software WebGPU adapter (SwiftShader here) and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, byId, openApp } from './harness.mjs';

test('A/B shows both columns with a highlighted difference', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await byId(page, 'step').waitFor({ timeout: 30_000 });
    await byId(page, 'compare').scrollIntoViewIfNeeded();

    await byId(page, 'compare-run').click();
    await byId(page, 'compare-message').waitFor({ state: 'visible' });
    assert.match(await byId(page, 'compare-message').textContent(), /B is the same as A/);

    await byId(page, 'compare-sampler').selectOption('ros');
    await byId(page, 'compare-epochs').fill('20');
    await byId(page, 'compare-run').click();
    await byId(page, 'compare-table').waitFor({ timeout: 120_000 });
    assert.match(await byId(page, 'compare-what').textContent(), /B = A with sampler\.kind=ros; both seed 42, 20 epochs/);
    // "Automatic": on SwiftShader, a software adapter, the runs train on the CPU path, and the note says why.
    assert.equal(await byId(page, 'compare-backend').inputValue(), 'auto');
    assert.match(await byId(page, 'compare-backend-note').textContent(), /CPU path: .*WebGPU adapter is software/);

    for (const key of ['balanced-accuracy', 'macro-f1', 'g-mean', 'minority-recall', 'mcc', 'recall-0', 'recall-1']) {
      assert.match(await byId(page, `compare-a-${key}`).textContent(), /^\d+\.\d%$/, `A ${key}`);
      assert.match(await byId(page, `compare-b-${key}`).textContent(), /^\d+\.\d%$/, `B ${key}`);
    }
    // The default data is 10:1; balancing the training set moves minority recall.
    const verdicts = await byId(page, 'compare-table').locator('td.diff').evaluateAll((tds) => tds.map((t) => t.dataset.verdict));
    assert.ok(verdicts.some((v) => v === 'better' || v === 'worse'), `a difference is highlighted: ${verdicts}`);
    const minority = await byId(page, 'compare-diff-minority-recall');
    assert.notEqual(await minority.getAttribute('data-verdict'), 'same', 'ROS changes minority recall');
    const colour = await page.locator('[data-testid="compare-table"] td.diff.better, [data-testid="compare-table"] td.diff.worse')
      .first().evaluate((td) => getComputedStyle(td).backgroundColor);
    assert.notEqual(colour, 'rgba(0, 0, 0, 0)', 'the difference is coloured');

    // Same test split for both: the confusion matrices count the same rows per true class.
    const rowSums = (id) => byId(page, id).locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].reduce((a, td) => a + Number(td.textContent), 0)));
    assert.deepEqual(await rowSums('compare-confusion-a'), await rowSums('compare-confusion-b'));

    await byId(page, 'compare').screenshot({ path: join(SHOTS, 'compare-ros.png') });

    // Pasted link settings: a misspelt key is refused by name; a whole link's settings are applied.
    await byId(page, 'compare-sampler').selectOption('');
    await byId(page, 'compare-settings').fill('optimizer.learning_rate=0.05');
    await byId(page, 'compare-run').click();
    await byId(page, 'compare-message').waitFor({ state: 'visible' });
    assert.match(await byId(page, 'compare-message').textContent(), /optimizer\.learning_rate/);
    await byId(page, 'compare-settings').fill('https://example.org/#v=1&optimizer.lr=0.05&model.hidden=%5B8%5D');
    await byId(page, 'compare-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="compare-what"]')?.textContent.includes('optimizer.lr=0.05, model.hidden=[8]'),
      null,
      { timeout: 60_000 },
    );
    await byId(page, 'compare-message').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('[data-testid="compare-progress"]')?.value === 1, null, { timeout: 120_000 });
    assert.match(await byId(page, 'compare-b-balanced-accuracy').textContent(), /^\d+\.\d%$/);
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});
