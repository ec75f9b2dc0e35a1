// Sweeps on WebGPU (Sweep panel, "Train on: WebGPU, side by side"; "Automatic" picks it on a hardware
// adapter, and the CPU on SwiftShader, which compare.test.mjs checks): the runs train side by side in
// one dispatch per kernel (imlab-gpu's SideBySide) on the browser's WebGPU (SwiftShader here), and
// the exported file has the rows `imlab sweep` writes for the same grid on the CPU: the same runs,
// methods and seeds, the same confusion-based scores (the GPU parity tests keep predictions equal)
// and AUC within 1e-4. Cancel stops a GPU sweep and keeps its finished runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { imlabSweep } from './cli.mjs';
import { SHOTS, byId, holdWebGpuDevice, openApp } from './harness.mjs';

async function csvOf(page) {
  const href = await byId(page, 'sweep-export-csv').getAttribute('href');
  return decodeURIComponent(href.slice(href.indexOf(',') + 1));
}

const rowsOf = (text) => text.trim().split('\n').map((l) => l.split(','));

async function openOnWebGpu() {
  const app = await openApp({ webgpu: true });
  const { page } = app;
  await byId(page, 'step').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => /WebGPU/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? ''), null, {
    timeout: 30_000,
  });
  await byId(page, 'sweep').scrollIntoViewIfNeeded();
  // SwiftShader is a software adapter, so "Automatic" would train on the CPU: ask for WebGPU.
  assert.equal(await byId(page, 'sweep-backend').inputValue(), 'auto');
  await byId(page, 'sweep-backend').selectOption('webgpu');
  return app;
}

test('a 3 methods × 3 seeds sweep trains side by side on WebGPU and matches imlab sweep', async () => {
  const app = await openOnWebGpu();
  const { page } = app;
  try {
    await byId(page, 'sweep-seeds').fill('3');
    await byId(page, 'sweep-epochs').fill('5');
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask' });
    });
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sweep-status"]')?.textContent.includes('All 9 runs done'),
      null,
      { timeout: 180_000 },
    );
    assert.match(await byId(page, 'sweep-backend-note').textContent(), /WebGPU: up to 16 runs train side by side in one dispatch/);
    assert.equal(await byId(page, 'sweep-progress').evaluate((p) => p.value), 1, 'progress bar full');

    const command = await byId(page, 'sweep-cli-command').textContent();
    const link = command.match(/--link '([^']*)'/)?.[1];
    assert.ok(link, `the panel shows the CLI command: ${command}`);
    const cli = rowsOf(imlabSweep(['--link', link, '--methods', 'baseline,ros,focal', '--seeds', '3', '--epochs', '5']));
    const gpu = rowsOf(await csvOf(page));
    const header = cli[0];
    assert.deepEqual(gpu[0], header, 'same columns');
    assert.equal(gpu.length, 10, 'header and 9 runs');
    const col = (name) => header.indexOf(name);
    const scores = header.slice(col('seed') + 1, col('error'));
    let worstAuc = 0;
    for (let r = 1; r < cli.length; r++) {
      for (const name of ['sweep_id', 'run', 'runs_total', 'method', 'seed', 'error']) {
        assert.equal(gpu[r][col(name)], cli[r][col(name)], `row ${r} ${name}`);
      }
      for (const name of scores) {
        const [g, c] = [Number(gpu[r][col(name)]), Number(cli[r][col(name)])];
        if (name === 'auc') {
          worstAuc = Math.max(worstAuc, Math.abs(g - c));
          assert.ok(Math.abs(g - c) <= 1e-4, `row ${r} auc: GPU ${g}, CPU ${c}`);
        } else {
          assert.ok(Math.abs(g - c) <= 1e-9, `row ${r} ${name}: GPU ${g}, CPU ${c}`);
        }
      }
    }
    const longTasks = await page.evaluate(() => window.__longTasks);
    console.log(`long tasks during the WebGPU sweep (ms): ${JSON.stringify(longTasks)}`);
    const worst = Math.max(0, ...longTasks);
    assert.ok(worst < 150, `no main-thread task near a blocking length during the sweep (worst ${worst} ms)`);
    console.log(`GPU sweep against imlab sweep: scores ${scores.join(', ')}; largest AUC difference ${worstAuc.toExponential(2)}`);
    await byId(page, 'sweep').screenshot({ path: join(SHOTS, 'sweep-webgpu.png') });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('Cancel stops a WebGPU sweep and keeps its finished runs', async () => {
  const app = await openOnWebGpu();
  const { page } = app;
  try {
    // 3 methods × 20 seeds × 40 epochs: groups of 16 runs; cancel once the first group is in.
    await byId(page, 'sweep-seeds').fill('20');
    await byId(page, 'sweep-epochs').fill('40');
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(
      () => /^([1-9]\d*) of 60 runs/.test(document.querySelector('[data-testid="sweep-status"]')?.textContent ?? ''),
      null,
      { timeout: 240_000 },
    );
    await byId(page, 'sweep-cancel').click();
    const status = await byId(page, 'sweep-status').textContent();
    const done = Number(status.match(/Cancelled after (\d+) of 60 runs/)?.[1]);
    assert.ok(done >= 1 && done < 60, `cancelled mid-sweep: ${status}`);
    const at = await byId(page, 'sweep-progress').evaluate((p) => p.value);
    await page.waitForTimeout(3000);
    assert.equal(await byId(page, 'sweep-status').textContent(), status, 'no run finishes after Cancel');
    assert.equal(await byId(page, 'sweep-progress').evaluate((p) => p.value), at, 'no progress after Cancel');
    const rows = rowsOf(await csvOf(page));
    assert.equal(rows.length, 1 + done, 'the export holds the finished runs');
    assert.ok(await byId(page, 'sweep-run').isEnabled(), 'a new sweep can be started');
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('WebGPU lost during a sweep: the runs go on on the CPU and every run finishes', async () => {
  const app = await openApp({ webgpu: true });
  const { page } = app;
  try {
    await holdWebGpuDevice(page);
    await page.reload();
    await page.waitForFunction(() => /WebGPU/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? ''), null, {
      timeout: 30_000,
    });
    await byId(page, 'sweep').scrollIntoViewIfNeeded();
    await byId(page, 'sweep-backend').selectOption('webgpu');
    await byId(page, 'sweep-seeds').fill('3');
    await byId(page, 'sweep-epochs').fill('60');
    await byId(page, 'sweep-run').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="sweep-progress"]')?.value) > 0.05, null, {
      timeout: 120_000,
    });
    await page.evaluate(() => window.__imlabDevice.destroy());
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sweep-status"]')?.textContent.includes('All 9 runs done'),
      null,
      { timeout: 240_000 },
    );
    assert.match(await byId(page, 'sweep-backend-note').textContent(), /WebGPU failed during the sweep .*the runs go on on the CPU path from their last good state/);
    const rows = rowsOf(await csvOf(page));
    assert.equal(rows.length, 10, 'every run has its row');
    const error = rows[0].indexOf('error');
    assert.ok(rows.slice(1).every((r) => r[error] === ''), 'no run failed');
    await byId(page, 'sweep').screenshot({ path: join(SHOTS, 'sweep-webgpu-lost.png') });
  } finally {
    await app.close();
  }
});
