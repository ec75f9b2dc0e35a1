// Trunk post-build hook: puts the SHA-256 of each inline <script> trunk wrote (its module loader,
// which names the hashed .js and .wasm files, so it changes every build) into the page's
// Content-Security-Policy in place of the placeholder 'sha256-TRUNK-INLINE-LOADER'. The policy
// can then allow exactly that script instead of 'unsafe-inline'.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER = "'sha256-TRUNK-INLINE-LOADER'";
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run as a trunk post_build hook');
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
if (!html.includes(PLACEHOLDER)) throw new Error(`${file} has no ${PLACEHOLDER} in its policy`);
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
);
if (hashes.length === 0) throw new Error(`${file} has no inline script to allow`);
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(' ')));
console.log(`CSP: allowed ${hashes.length} inline script(s) by hash`);
