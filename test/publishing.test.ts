// The coordinates the package is published under: the project's own for every jsii target, the
// same in package.json and the README, and a CHANGELOG entry for the version being built.
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ORG = 'github.com/cdk8s-canary/';

describe('publishing coordinates', () => {
  test('no placeholder and no namespace of another project', () => {
    const text = JSON.stringify({ repository: pkg.repository, homepage: pkg.homepage, targets: pkg.jsii.targets });
    expect(text).not.toMatch(/example\.com|org\.cdk8s|Cdk8s\.|"org\./);
  });

  test('repository, homepage and the Go module live under the project\'s organization', () => {
    expect(pkg.repository.url).toBe(`https://${ORG}cdk8s-canary.git`);
    expect(pkg.homepage).toBe(`https://${ORG}cdk8s-canary#readme`);
    expect(pkg.jsii.targets.go.moduleName.startsWith(ORG)).toBe(true);
    expect(pkg.jsii.targets.java.maven.groupId).toBe('io.github.cdk8s-canary');
    expect(pkg.jsii.targets.java.package.startsWith('io.github.')).toBe(true);
  });

  test('the README names every target as package.json sets it', () => {
    const { python, java, dotnet, go } = pkg.jsii.targets;
    for (const name of [python.distName, python.module, `${java.maven.groupId}:${java.maven.artifactId}`, java.package, dotnet.packageId, go.moduleName]) {
      expect(readme).toContain(`\`${name}\``);
    }
  });

  test('CHANGELOG.md has an entry for this version, and ships in the package', () => {
    expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}( |$)`, 'm'));
    expect(pkg.files).toContain('CHANGELOG.md');
  });
});
