import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * The documentation: the README (the entry page) and the guides in docs/. `npm run docs`
 * regenerates what they show from the code, and the tests check every one of them.
 */
export const ROOT = join(__dirname, '..', '..');

/** Every documentation file, relative to the repository: README.md first, then docs/*.md. */
export function docFiles(): string[] {
  return ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** The one documentation file that holds `marker` (a generated section's start). */
export function docWith(marker: string): string {
  const found = docFiles().filter((file) => readDoc(file).includes(marker));
  if (found.length !== 1) throw new Error(`${found.length} documentation files hold ${marker}; expected one`);
  return found[0];
}
