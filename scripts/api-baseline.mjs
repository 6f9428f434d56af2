#!/usr/bin/env node
// `npm run api:baseline`: records the public API of this release in api/baseline/ (after `npm run build`),
// for `npm run api:check` (jsii-diff) to hold every later change to. Run it when a release is cut,
// not to make a breaking change pass: that belongs in CHANGELOG.md and a new major version.
// The assembly is stored gzipped behind a jsii file redirect (1.3 MB → about 150 KB), with the
// package.json jsii-reflect needs to load it beside its dependencies.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const assembly = readFileSync('.jsii');
if (JSON.parse(assembly).version !== pkg.version) throw new Error('.jsii is not of this version: run npm run build first');
rmSync('api/baseline', { recursive: true, force: true });
mkdirSync('api/baseline', { recursive: true });
writeFileSync('api/baseline/.jsii.gz', gzipSync(assembly, { level: 9 }));
writeFileSync('api/baseline/.jsii', `${JSON.stringify({ schema: 'jsii/file-redirect', compression: 'gzip', filename: '.jsii.gz' })}\n`);
writeFileSync('api/baseline/package.json', `${JSON.stringify({
  name: pkg.name, version: pkg.version, private: true, peerDependencies: pkg.peerDependencies, dependencies: pkg.dependencies,
  bundledDependencies: pkg.bundledDependencies, jsii: { outdir: 'none', targets: {} },
}, null, 2)}\n`);
process.stdout.write(`api/baseline: the public API of ${pkg.name} ${pkg.version}\n`);
