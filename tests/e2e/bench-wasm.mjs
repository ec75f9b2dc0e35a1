// The CPU training path's speed in this wasm build, in headless Chromium: the same experiment as
// `imlab bench train`. Not a test (speed is measured, not asserted): `node bench-wasm.mjs [rows]
// [epochs] [repeat]` prints one JSON line per repetition. Needs a built dist/ (trunk build --release).
import { byId, openApp } from './harness.mjs';

const [rows = '100000', epochs = '5', repeat = '3'] = process.argv.slice(2);
const app = await openApp({ webgpu: false });
try {
  await byId(app.page, 'step').waitFor({ timeout: 30_000 });
  await byId(app.page, 'play-pause').click();
  for (let i = 0; i < Number(repeat); i++) {
    const out = await app.page.evaluate(
      ([r, e]) => window.imlab.benchTrain(r, e),
      [Number(rows), Number(epochs)],
    );
    console.log(out);
  }
} finally {
  await app.close();
}
