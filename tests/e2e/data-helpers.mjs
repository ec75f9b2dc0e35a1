// Helpers for the own-data, export, session, security and robustness tests: CSV files made in the
// test, the content hash the app names them by, uploading by picker or by drop, and downloads.
import { readFile } from 'node:fs/promises';
import { byId } from './harness.mjs';

/** `fnv1a64-` + 16 hex digits, as crates/engine/src/dataset/content_hash.rs computes it. */
export function contentHash(buffer) {
  let h = 0xcbf29ce484222325n;
  for (const b of buffer) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `fnv1a64-${h.toString(16).padStart(16, '0')}`;
}

/**
 * Two features and a text label: `counts[c]` rows of class `names[c]` around a centre per class,
 * with a small deterministic jitter (no RNG needed: the test only needs separable-ish data).
 */
export function twoClassCsv({ counts = [120, 30], names = ['healthy', 'sick'], header = 'x,y,label', salt = 0 } = {}) {
  const lines = [header];
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      const a = ((i * 7919 + salt * 31) % 1000) / 1000 - 0.5;
      const b = ((i * 104729 + 17 + salt) % 1000) / 1000 - 0.5;
      lines.push(`${(c * 2 + a).toFixed(4)},${(c + b).toFixed(4)},${names[c]}`);
    }
  });
  return Buffer.from(lines.join('\n') + '\n');
}

/** Chooses `buffer` as a file in the panel's file picker. */
export async function pickFile(page, buffer, name = 'patients.csv', testid = 'data-file-input') {
  await byId(page, testid).setInputFiles({ name, mimeType: 'text/csv', buffer });
}

/** Drops `buffer` as a file onto the page body (not the drop zone): drop works anywhere. */
export async function dropFile(page, buffer, name = 'dropped.csv') {
  await page.evaluate(
    ({ bytes, name }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
      const target = document.querySelector('h1') ?? document.body;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { bytes: [...buffer], name },
  );
}

/** Uploads `buffer` with the picker, waits for the preview, applies it, and waits until the
 * experiment trains on it (the snapshot's config names its hash). */
export async function uploadAndApply(page, buffer, name = 'patients.csv') {
  await pickFile(page, buffer, name);
  await byId(page, 'data-preview').waitFor({ timeout: 10_000 });
  await byId(page, 'data-apply').click();
  const hash = contentHash(buffer);
  await page.waitForFunction(
    (h) => JSON.parse(window.imlab.snapshot()).config.dataset.source?.hash === h,
    hash,
    { timeout: 20_000 },
  );
  return hash;
}

/** Clicks `testid` and returns the downloaded file's name and bytes. */
export async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), byId(page, testid).click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: await readFile(path) };
}

/** Waits until the step counter passes `n`. */
export async function waitForStep(page, n, timeout = 30_000) {
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="step"]')?.textContent.replace(/\D/g, '')) > n,
    n,
    { timeout },
  );
}

/** The text of the element with `testid`, trimmed. */
export async function textOf(page, testid) {
  return (await byId(page, testid).first().innerText()).trim();
}
