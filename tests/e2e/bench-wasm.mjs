// The CPU training path's speed in this wasm build, in headless Chromium: the same experiment as
// `imlab bench train`. Not a test (speed is measured, not asserted): `node bench-wasm.mjs [rows]
// [epochs] [repeat] [multiclass|multilabel]` prints one JSON line per repetition (`multilabel`: the
// multi-label benchmark of `imlab bench train --multilabel`). Needs a built dist/ (trunk build --release).
import { byId, openApp } from './harness.mjs';

const [rows = '100000', epochs = '5', repeat = '3', task = 'multiclass'] = process.argv.slice(2);
const fn = task === 'multilabel' ? 'benchTrainMultilabel' : 'benchTrain';
const app = await openApp({ webgpu: false });
try {
  await byId(app.page, 'step').waitFor({ timeout: 30_000 });
  await byId(app.page, 'play-pause').click();
  for (let i = 0; i < Number(repeat); i++) {
    const out = await app.page.evaluate(
      ([f, r, e]) => window.imlab[f](r, e),
      [fn, Number(rows), Number(epochs)],
    );
    console.log(out);
  }
} finally {
  await app.close();
}
