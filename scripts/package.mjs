#!/usr/bin/env node
// `npm run package`: the npm tarball (jsii-pacmak's js target) and the Python, Java, .NET and Go
// sources, into dist-jsii/. The other languages' packaging steps need their own registries and
// toolchains, which these machines do not reach, so their sources are generated (--code-only);
// a release pipeline with those toolchains drops the flag.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist-jsii', { recursive: true, force: true });
const run = (...args) => execFileSync('npx', ['--no-install', 'jsii-pacmak', ...args], { stdio: 'inherit' });
run('--target', 'js');
run('--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go', '--code-only');
