// Performance while training the default experiment: no main-thread task over 50 ms (Long Tasks
// API, over 5 s of training), and the decision boundary redrawn at least 30 times a second
// (counted by the page itself: `window.imlab.boundaryDraws()` increments on every draw, so rAF
// throttling, if any, shows in the count). Both paths: on WebGPU the boundary is redrawn once per
// GPU result, so this also holds the GPU round trip (steps, state and test-split read-back) under
// 33 ms on SwiftShader, headless Chromium's software adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byId, openApp } from './harness.mjs';

for (const webgpu of [true, false]) {
  test(`no long tasks and ≥30 boundary redraws per second (${webgpu ? 'WebGPU' : 'CPU'})`, async () => {
    const app = await openApp({ webgpu });
    const { page } = app;
    try {
      await byId(page, 'step').waitFor({ timeout: 30_000 });
      // Past start-up (compilation, first buffers): measure steady training.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 30, null, { timeout: 60_000 });
      const badge = (await byId(page, 'backend').innerText()).trim();
      if (webgpu) assert.match(badge, /webgpu/i, badge);
      else assert.match(badge, /cpu/i, badge);
      const r = await page.evaluate(async () => {
        const long = [];
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) long.push(Math.round(e.duration));
        });
        obs.observe({ type: 'longtask', buffered: false });
        const step0 = Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, ''));
        const d0 = window.imlab.boundaryDraws();
        const t0 = performance.now();
        await new Promise((res) => setTimeout(res, 5000));
        const seconds = (performance.now() - t0) / 1000;
        const d1 = window.imlab.boundaryDraws();
        obs.disconnect();
        const step1 = Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, ''));
        return { long, drawsPerSecond: (d1 - d0) / seconds, steps: step1 - step0, seconds };
      });
      console.log(`${webgpu ? 'WebGPU' : 'CPU'}: ${r.drawsPerSecond.toFixed(1)} boundary draws/s, ${r.steps} steps in ${r.seconds.toFixed(1)} s, long tasks ${JSON.stringify(r.long)}`);
      assert.ok(r.steps > 0, 'it trained during the measurement');
      assert.deepEqual(r.long, [], 'no main-thread task over 50 ms');
      assert.ok(r.drawsPerSecond >= 30, `boundary redraws per second: ${r.drawsPerSecond.toFixed(1)}`);
      assert.deepEqual(app.consoleErrors, [], 'no console errors');
    } finally {
      await app.close();
    }
  });
}

// Issue 14: the feature-space panel on screen (a tall window shows it beside the boundary) costs
// no main-thread task over 50 ms, and both pictures keep redrawing live.
for (const webgpu of [true, false]) {
  test(`feature-space panel on screen: no long tasks, boundary and features redrawn (${webgpu ? 'WebGPU' : 'CPU'})`, async () => {
    const app = await openApp({ webgpu, viewport: { width: 1280, height: 1500 } });
    const { page } = app;
    try {
      await byId(page, 'step').waitFor({ timeout: 30_000 });
      await byId(page, 'feature-space').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > 30, null, { timeout: 60_000 });
      await page.waitForFunction(() => JSON.parse(window.imlab.featureSpace() ?? 'null')?.draws > 0, null, { timeout: 30_000 });
      const r = await page.evaluate(async () => {
        const long = [];
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) long.push(Math.round(e.duration));
        });
        obs.observe({ type: 'longtask', buffered: false });
        const f0 = JSON.parse(window.imlab.featureSpace()).draws;
        const d0 = window.imlab.boundaryDraws();
        const t0 = performance.now();
        await new Promise((res) => setTimeout(res, 5000));
        const seconds = (performance.now() - t0) / 1000;
        const f1 = JSON.parse(window.imlab.featureSpace()).draws;
        const d1 = window.imlab.boundaryDraws();
        obs.disconnect();
        return { long, features: (f1 - f0) / seconds, boundary: (d1 - d0) / seconds };
      });
      console.log(`${webgpu ? 'WebGPU' : 'CPU'} with the feature-space panel: ${r.features.toFixed(1)} feature draws/s, ${r.boundary.toFixed(1)} boundary draws/s, long tasks ${JSON.stringify(r.long)}`);
      assert.deepEqual(r.long, [], 'no main-thread task over 50 ms');
      assert.ok(r.features >= 10, `feature-space redraws per second: ${r.features.toFixed(1)}`);
      assert.ok(r.boundary >= 30, `boundary redraws per second: ${r.boundary.toFixed(1)}`);
      assert.deepEqual(app.consoleErrors, [], 'no console errors');
    } finally {
      await app.close();
    }
  });
}
