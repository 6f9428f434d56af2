import { parseImage, pinsVersion } from '../src/core/image';

describe('parseImage', () => {
  test.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['honester/hello-server:v1', { repository: 'honester/hello-server', tag: 'v1' }],
    ['registry.example.com:5000/team/app:1.2.3', { repository: 'registry.example.com:5000/team/app', tag: '1.2.3' }],
    ['localhost:5000/app', { repository: 'localhost:5000/app' }],
    [`app@sha256:${'a'.repeat(64)}`, { repository: 'app', digest: `sha256:${'a'.repeat(64)}` }],
    [`ghcr.io/o/app:v2@sha256:${'b'.repeat(64)}`, { repository: 'ghcr.io/o/app', tag: 'v2', digest: `sha256:${'b'.repeat(64)}` }],
    ['[::1]:5000/app:v1', { repository: '[::1]:5000/app', tag: 'v1' }],
  ])('%s', (image, parts) => {
    expect(parseImage(image)).toEqual({ tag: undefined, digest: undefined, ...parts });
  });

  test.each(['', 'App', 'app:', 'app v1', 'app:v1 ', ':v1', 'app//x', 'app@sha256:abc', `a:${'t'.repeat(129)}`, '-app'])('rejects %j', (image) => {
    expect(parseImage(image)).toBeUndefined();
  });

  test('pins a version with a tag other than latest, or a digest', () => {
    expect(pinsVersion(parseImage('app:v1')!)).toBe(true);
    expect(pinsVersion(parseImage(`app@sha256:${'a'.repeat(64)}`)!)).toBe(true);
    expect(pinsVersion(parseImage('app:latest')!)).toBe(false);
    expect(pinsVersion(parseImage('app')!)).toBe(false);
  });
});
