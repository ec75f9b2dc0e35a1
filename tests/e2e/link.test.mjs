// The experiment in the URL: a link reproduces the same numbers in a fresh browser (CPU backend),
// a tampered link names the bad keys (as text) and applies the rest, a version-1 link is migrated,
// `hide=` hides controls, `made_on` records the backend, and Share hands out the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, readInt, screenshot, snapshot, runSteps } from './harness.mjs';

const stepOf = (page) => readInt(page, 'step');

async function ready(page) {
  await byId(page, 'setup').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.textContent === 'CPU', null, {
    timeout: 30_000,
  });
}

test('a link opened in a fresh browser gives the same numbers after the same steps (CPU)', async () => {
  const hash = '#v=2&backend=cpu&seed=9&sampler.kind=smote&sampler.k_neighbors=3&loss.kind=focal&dataset.counts.ratio=0.1';
  const a = await openApp({ hash });
  let first;
  let sharedHash;
  try {
    await ready(a.page);
    first = await runSteps(a.page, 12);
    sharedHash = await a.page.evaluate(() => location.hash);
    assert.match(sharedHash, /made_on=CPU/, 'the link records the backend');
    assert.match(sharedHash, /sampler\.kind=smote/);
  } finally {
    await a.close();
  }
  const b = await openApp({ hash: sharedHash });
  try {
    await ready(b.page);
    assert.equal(await byId(b.page, 'link-issues').count(), 0, 'the written link reads back without issues');
    const second = await runSteps(b.page, 12);
    assert.equal(second.step, 12);
    assert.deepEqual(second.config, first.config);
    assert.deepEqual(second.confusion, first.confusion);
    assert.deepEqual(second.train_counts, first.train_counts);
    assert.deepEqual(JSON.stringify(second), JSON.stringify(first), 'the whole snapshot is identical');
  } finally {
    await b.close();
  }
});

test('a tampered link names each bad key, as text, and applies the rest', async () => {
  const hash =
    '#v=2&backend=cpu&seed=13&optimizer.lr=banana&model.hidden=[8]&wat=1&sampler.kind=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E';
  const app = await openApp({ hash });
  const { page } = app;
  try {
    await ready(page);
    const notice = byId(page, 'link-issues');
    await notice.waitFor({ timeout: 10_000 });
    const text = await notice.innerText();
    for (const key of ['optimizer.lr', 'wat', 'sampler.kind']) {
      assert.ok(text.includes(key), `the notice names ${key}: ${text}`);
    }
    assert.ok(text.includes('<img'), 'the bad value is shown as text');
    assert.equal(await notice.locator('img').count(), 0, 'never as markup');
    const cfg = (await snapshot(page)).config;
    assert.equal(cfg.seed, 13, 'the valid rest is applied');
    assert.deepEqual(cfg.model.hidden, [8]);
    assert.equal(cfg.sampler.kind, 'none');
    // The address bar now holds the experiment that runs.
    const h = await page.evaluate(() => decodeURIComponent(location.hash));
    assert.ok(h.includes('seed=13') && !h.includes('banana') && !h.includes('wat='), h);
    await screenshot(page, 'link-tampered');
  } finally {
    await app.close();
  }
});

test('a version-1 link is migrated to version 2', async () => {
  // Written by the version-1 build: under-samplers had long tags then.
  const app = await openApp({
    hash: '#v=1&sampler.kind=random_under_sampler&sampler.sampling_strategy=auto&sampler.replacement=false&seed=7&backend=cpu',
  });
  const { page } = app;
  try {
    await ready(page);
    assert.equal(await byId(page, 'link-issues').count(), 0);
    assert.equal((await snapshot(page)).config.sampler.kind, 'rus');
    assert.equal(await byId(page, 'field-sampler-kind').inputValue(), 'rus');
    await page.waitForFunction(() => location.hash.startsWith('#v=2&'), null, { timeout: 10_000 });
    const h = await page.evaluate(() => location.hash);
    assert.match(h, /sampler\.kind=rus/);
    assert.doesNotMatch(h, /random_under_sampler/);
  } finally {
    await app.close();
  }
});

test('hide= hides the named controls; Share hands out the link', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&hide=sampler,loss,theme,edit' });
  const { page } = app;
  try {
    await ready(page);
    assert.equal(await byId(page, 'setup-sampler').isVisible(), false);
    assert.equal(await byId(page, 'setup-loss').isVisible(), false);
    assert.equal(await byId(page, 'setup-data').isVisible(), true);
    assert.equal(await byId(page, 'theme-toggle').count(), 0);
    assert.equal(await byId(page, 'edit-class-1').count(), 0, 'no point-editing bar');
    const before = (await snapshot(page)).train_counts;
    await byId(page, 'decision-boundary').click({ position: { x: 40, y: 40 } });
    await page.waitForTimeout(300);
    assert.deepEqual((await snapshot(page)).train_counts, before, 'a click does not edit the data');
    assert.match(await page.evaluate(() => decodeURIComponent(location.hash)), /hide=sampler,loss,theme,edit/, 'kept in the link');

    await app.context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
    await byId(page, 'share').click();
    await page.waitForFunction(
      () =>
        /copied/i.test(document.querySelector('[data-testid="share"]').textContent) ||
        document.querySelector('[data-testid="share-url"]'),
      null,
      { timeout: 10_000 },
    );
    const href = await page.evaluate(() => location.href);
    if (await byId(page, 'share-url').count()) {
      assert.equal(await byId(page, 'share-url').inputValue(), href);
    } else {
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), href);
    }
  } finally {
    await app.close();
  }
  const whole = await openApp({ hash: '#v=2&backend=cpu&hide=setup' });
  try {
    await whole.page.waitForSelector('[data-testid="step"]');
    assert.equal(await byId(whole.page, 'setup').isVisible(), false);
  } finally {
    await whole.close();
  }
});

test('share falls back to a selectable field without clipboard access', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu' });
  const { page } = app;
  try {
    await ready(page);
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    });
    await byId(page, 'share').click();
    const field = byId(page, 'share-url');
    await field.waitFor({ timeout: 10_000 });
    assert.equal(await field.inputValue(), await page.evaluate(() => location.href));
  } finally {
    await app.close();
  }
});
