#!/usr/bin/env node
// `npm run package`: the npm tarball (jsii-pacmak's js target) and the Python, Java, .NET and Go
// sources, into dist-jsii/. The other languages' packaging steps need their own registries and
// toolchains, which these machines do not reach, so their sources are generated (--code-only);
// a release pipeline with those toolchains drops the flag.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist-jsii', { recursive: true, force: true });
// jsii's tools print a banner on every run for Node 20, past its end of life (docs/development.md).
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
const run = (...args) => execFileSync('npx', ['--no-install', 'jsii-pacmak', ...args], { stdio: 'inherit', env });
run('--target', 'js');
run('--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go', '--code-only');
