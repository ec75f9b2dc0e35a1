// Presets tell a story each: choosing one applies its experiment, shows its explanation and
// rewrites the link. Also the light/dark themes (with a contrast check) and presentation mode,
// photographed at 1280×720.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, screenshot, snapshot } from './harness.mjs';

const EXPECT = {
  'accuracy-lies': (c) => c.dataset.counts.ratio === 0.05 && c.sampler.kind === 'none',
  'smote-vs-duplication': (c) => c.sampler.kind === 'ros',
  'smote-noisy-overlap': (c) => c.sampler.kind === 'smote' && c.dataset.noise === 0.5,
  'cleaning-tomek-enn': (c) => c.sampler.kind === 'enn',
  'focal-vs-weighted': (c) => c.loss.kind === 'focal' && c.loss.gamma === 2,
  'logit-adjustment-long-tail': (c) => c.loss.kind === 'logit_adjusted' && c.dataset.counts.kind === 'exponential',
  'thresholding-recovers-recall': (c) => c.posthoc.kind === 'threshold' && c.posthoc.threshold === 0.1,
  'label-noise-long-tail': (c) => c.dataset.label_noise?.kind === 'toward_majority' && c.loss.kind === 'weighted_ce',
  'minority-collapse': (c) => c.dataset.counts.classes === 6 && c.optimizer.kind === 'sgd' && c.optimizer.weight_decay === 0.05,
  'multilabel-rare-labels-vanish': (c) => c.task === 'multilabel' && c.multilabel.loss.kind === 'bce' && c.multilabel.data.n_labels === 6,
  'multilabel-asl-thresholds': (c) => c.task === 'multilabel' && c.multilabel.loss.kind === 'asymmetric' && c.multilabel.loss.gamma_neg === 4,
};

test('every preset applies, explains itself and updates the URL', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu', viewport: { width: 1280, height: 800 } });
  const { page } = app;
  try {
    await byId(page, 'preset').waitFor({ timeout: 30_000 });
    const options = await byId(page, 'preset').locator('option').evaluateAll((os) =>
      os.filter((o) => o.value).map((o) => ({ id: o.value, title: o.textContent })),
    );
    assert.deepEqual(options.map((o) => o.id).sort(), Object.keys(EXPECT).sort());
    for (const { id, title } of options) {
      const hashBefore = await page.evaluate(() => location.hash);
      await byId(page, 'preset').selectOption(id);
      const expl = byId(page, 'preset-explanation');
      await page.waitForFunction(
        (t) => document.querySelector('[data-testid="preset-explanation"]')?.textContent.includes(t),
        title,
        { timeout: 10_000 },
      );
      assert.ok((await expl.innerText()).length > title.length + 40, `${id} tells its story`);
      await page.waitForFunction((h) => location.hash !== h, hashBefore, { timeout: 10_000 });
      const snap = await snapshot(page);
      assert.ok(EXPECT[id](snap.config), `${id}: ${JSON.stringify(snap.config)}`);
      assert.equal(await byId(page, 'error').isVisible().catch(() => false), false, `${id} raises no error`);
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) > 30,
        null,
        { timeout: 30_000 },
      );
      await screenshot(page, `preset-${id}`);
    }
    assert.deepEqual(app.consoleErrors, [], 'no console errors');
  } finally {
    await app.close();
  }
});

// WCAG relative luminance contrast of two CSS colours.
function contrastIn(page, fg, bg) {
  return page.evaluate(
    ([f, b]) => {
      const rgb = (css) => {
        const d = document.createElement('div');
        d.style.color = css;
        document.body.appendChild(d);
        const m = getComputedStyle(d).color.match(/\d+(\.\d+)?/g).map(Number);
        d.remove();
        return m.slice(0, 3);
      };
      const lum = ([r, g, bl]) => {
        const c = [r, g, bl].map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
      };
      const [l1, l2] = [lum(rgb(f)), lum(rgb(b))].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    },
    [fg, bg],
  );
}

test('dark theme, remembered; text contrast in both themes; presentation mode at 1280×720', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu&dataset.counts.ratio=0.05', viewport: { width: 1280, height: 720 } });
  const { page } = app;
  try {
    await byId(page, 'theme-toggle').waitFor({ timeout: 30_000 });
    const themeNow = () => page.evaluate(() => document.documentElement.dataset.theme);
    // Headless Chromium reports a light preference.
    assert.equal(await themeNow(), 'light');
    for (const theme of ['light', 'dark']) {
      if ((await themeNow()) !== theme) await byId(page, 'theme-toggle').click();
      assert.equal(await themeNow(), theme);
      for (const v of ['--ink', '--ink-soft', '--ink-faint']) {
        for (const bg of ['--panel', '--bg']) {
          const ratio = await contrastIn(page, `var(${v})`, `var(${bg})`);
          assert.ok(ratio >= 4.5, `${theme}: ${v} on ${bg} contrast ${ratio.toFixed(2)} < 4.5`);
        }
      }
    }
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) > 60,
      null,
      { timeout: 30_000 },
    );
    await screenshot(page, 'theme-dark-1280x720');
    await page.reload();
    await byId(page, 'theme-toggle').waitFor({ timeout: 30_000 });
    assert.equal(await themeNow(), 'dark', 'remembered across a reload');

    // Presentation: key p, setup hidden, larger type.
    const fontBefore = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.documentElement.dataset.presentation === 'on');
    assert.equal(await byId(page, 'setup').isVisible(), false, 'setup hidden while presenting');
    const fontAfter = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.ok(fontAfter > fontBefore, `type grows (${fontBefore} -> ${fontAfter})`);
    assert.equal(await byId(page, 'presentation-toggle').getAttribute('aria-pressed'), 'true');
    const box = await byId(page, 'decision-boundary').boundingBox();
    assert.ok(box && box.width >= 400, `a big chart (${box?.width})`);
    await page.waitForTimeout(500);
    await screenshot(page, 'presentation-dark-1280x720');
    await byId(page, 'theme-toggle').click();
    await page.waitForTimeout(300);
    await screenshot(page, 'presentation-light-1280x720');
    await byId(page, 'presentation-toggle').click();
    assert.equal(await byId(page, 'setup').isVisible(), true);
  } finally {
    await app.close();
  }
});

test('the page works when storage is refused', async () => {
  const app = await openApp({ hash: '#v=2&backend=cpu' });
  const { page } = app;
  try {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new Error('storage refused');
        },
      });
    });
    await page.reload();
    await byId(page, 'theme-toggle').waitFor({ timeout: 30_000 });
    await byId(page, 'theme-toggle').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) > 5,
      null,
      { timeout: 30_000 },
    );
  } finally {
    await app.close();
  }
});
