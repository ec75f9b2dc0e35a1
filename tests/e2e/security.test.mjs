// Security (issue 8, part 4): a strict Content-Security-Policy that is in force and never violated,
// no request to another origin and none at all once the app has loaded (training, uploading and
// exporting included), and user-supplied text (CSV headers and labels, link values) shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp, screenshot } from './harness.mjs';
import { download, pickFile, twoClassCsv, uploadAndApply, waitForStep } from './data-helpers.mjs';

test('the Content-Security-Policy is strict, in force, and the app runs without violating it', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await waitForStep(page, 20);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    for (const directive of [
      "default-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "img-src 'self' data: blob:",
    ]) {
      assert.ok(policy.includes(directive), `policy has ${directive}: ${policy}`);
    }
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]{44}'/);
    assert.ok(!policy.includes('unsafe-inline') && !policy.includes("'unsafe-eval'"), policy);
    // In force: an injected inline script does not run (and is reported), and a fetch to another
    // origin is refused. (eval is not tried: code run through the DevTools protocol is exempt.)
    const outcome = await page.evaluate(async () => {
      const reported = [];
      document.addEventListener('securitypolicyviolation', (e) => reported.push(e.effectiveDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
      let fetched = false;
      try {
        await fetch('https://example.com/');
        fetched = true;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
      return { injected: window.__injected === true, fetched, reported: [...new Set(reported)].sort() };
    });
    assert.deepEqual(outcome, { injected: false, fetched: false, reported: ['connect-src', 'script-src-elem'] });
    // The app itself causes no violation: the only ones logged are the two provoked above.
    const violations = app.consoleErrors.filter((e) => /Content Security Policy/i.test(e));
    assert.ok(violations.every((v) => /inline script|example\.com/i.test(v)), violations.join('\n'));
    const others = app.consoleErrors.filter((e) => !/Content Security Policy|example\.com/i.test(e));
    assert.deepEqual(others, []);
  } finally {
    await app.close();
  }
});

test('no request goes to another origin, and none at all after the app has loaded', async () => {
  const app = await openApp();
  const { page, base, requests } = app;
  try {
    await waitForStep(page, 20);
    await page.waitForLoadState('load');
    await page.waitForTimeout(1500);
    const loaded = requests.length;
    const origin = new URL(base).origin;
    for (const url of requests) assert.equal(new URL(url).origin, origin, `request to another origin: ${url}`);

    // Train a few seconds, upload a CSV, train on it, export everything.
    await page.waitForTimeout(3000);
    await uploadAndApply(page, twoClassCsv());
    await waitForStep(page, 10);
    await download(page, 'export-json');
    await download(page, 'export-metrics-csv');
    await download(page, 'export-predictions-csv');
    await byId(page, 'export-png').click();
    await page.waitForTimeout(1500);
    // Downloads of in-page blob: and data: URLs reach no server; anything else would.
    const later = requests.slice(loaded).filter((u) => !/^(blob|data):/.test(u));
    assert.deepEqual(later, [], `requests after load: ${later.join(', ')}`);
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('CSV header names, labels and link values are shown as text, never as markup', async () => {
  const attack = '<img src=x onerror="window.__xss=1">';
  const app = await openApp({ hash: `#dataset.generator=${encodeURIComponent(attack)}&made_on=${encodeURIComponent('<b id="xss-b">x</b>')}` });
  const { page } = app;
  try {
    await waitForStep(page, 1);
    const csv = Buffer.from(
      `"${attack.replaceAll('"', '""')}",<b>bold</b>,<i>label</i>\n` +
        Array.from({ length: 30 }, (_, i) => `${i},${i % 7},${i % 3 === 0 ? '<script>window.__xss=2</script>' : 'plain'}`).join('\n'),
    );
    await pickFile(page, csv, '<svg onload=alert(1)>.csv');
    await byId(page, 'data-preview').waitFor({ timeout: 10_000 });
    const heads = (await byId(page, 'data-preview').locator('th').allInnerTexts()).map((h) => h.trim());
    assert.deepEqual(heads, [attack, '<b>bold</b>', '<i>label</i>']);
    const options = (await byId(page, 'data-label-column').locator('option').allInnerTexts()).map((o) => o.trim());
    assert.deepEqual(options, heads);
    assert.match(await byId(page, 'data-summary').innerText(), /“<script>window.__xss=2<\/script>” 10/);
    await uploadAndApply(page, csv, 'x.csv');
    const found = await page.evaluate(() => ({
      xss: window.__xss ?? null,
      img: document.querySelectorAll('img').length,
      b: document.querySelectorAll('#xss-b, .data-preview b, .data-preview i, .data-panel script, svg[onload]').length,
    }));
    assert.deepEqual(found, { xss: null, img: 0, b: 0 });
    await byId(page, 'data-preview').scrollIntoViewIfNeeded();
    await screenshot(page, 'security-markup-as-text');
  } finally {
    await app.close();
  }
});
