// Shared set-up for the end-to-end tests: serve dist/, launch Debian's Chromium headless with
// WebGPU (SwiftShader), collect console errors and every network request, write screenshots.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(here, '../../dist');
export const SHOTS = resolve(here, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium tries to reach outside hosts at start.
const ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function openApp({ hash = '', webgpu = true, viewport = { width: 1280, height: 800 } } = {}) {
  const server = await startServer(DIST, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const userDataDir = mkdtempSync(join(tmpdir(), 'imlab-e2e-'));
  const args = webgpu ? ARGS : ARGS.filter((a) => a !== '--enable-unsafe-webgpu').concat('--disable-webgpu');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  const requests = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(base + hash);
  const close = async () => {
    await context.close();
    server.close();
    // Each profile is tens of megabytes; CI runs on the developer's own disk.
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { page, context, base, consoleErrors, requests, close };
}

export async function screenshot(page, name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

export async function readInt(page, id) {
  const t = await byId(page, id).first().innerText();
  const v = Number.parseInt(t.replace(/[^0-9-]/g, ''), 10);
  if (Number.isNaN(v)) throw new Error(`${id} holds no integer: ${JSON.stringify(t)}`);
  return v;
}

export async function snapshot(page) {
  return JSON.parse(await page.evaluate(() => window.imlab.snapshot()));
}

/** Pauses, goes back to step 0 and runs exactly `k` optimizer steps, one "Step" click each (the
 * active backend, CPU or WebGPU, does each step on the next frame); returns the snapshot. */
export async function runSteps(page, k, { timeout = 10_000 } = {}) {
  if ((await byId(page, 'play-pause').getAttribute('aria-pressed')) === 'true') {
    await byId(page, 'play-pause').click();
  }
  await byId(page, 'reset').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '') === '0');
  for (let i = 1; i <= k; i++) {
    await byId(page, 'step-once').click();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="step"]').textContent.replace(/\D/g, '')) === n,
      i,
      { timeout },
    );
  }
  return snapshot(page);
}

/** From the next load on, keeps the WebGPU device the app asks for in `window.__imlabDevice`, so a
 * test can destroy it mid-run (what a driver reset does). */
export async function holdWebGpuDevice(page) {
  await page.addInitScript(() => {
    const request = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...args) {
      const device = await request.apply(this, args);
      window.__imlabDevice = device;
      return device;
    };
  });
}
