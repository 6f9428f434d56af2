import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments, stringify } from 'yaml';

/**
 * YAML excerpts in the README, copied from dist/ by `npm run docs`, so that what the README shows
 * a construct produce is what it produces. An excerpt is written as
 *
 *     <!-- dist: FILE Kind/name[ Kind/name…] -->
 *     ```yaml
 *     …
 *     ```
 *     <!-- end dist -->
 *
 * and holds those objects of dist/FILE, in the order named, as the synth wrote them.
 */
const EXCERPT = /<!-- dist: (\S+)((?: [A-Za-z]+\/[a-z0-9.-]+)+) -->\n[\s\S]*?<!-- end dist -->/g;

const dist = join(__dirname, '..', '..', 'dist');

function excerpt(file: string, ids: string[]): string {
  const docs = parseAllDocuments(readFileSync(join(dist, file), 'utf8')).map((d) => d.toJS());
  const objects = ids.map((id) => {
    const [kind, name] = id.split('/');
    const found = docs.find((d) => d.kind === kind && d.metadata?.name === name);
    if (!found) throw new Error(`README excerpt: no ${id} in dist/${file}`);
    return stringify(found, { lineWidth: 0 }).trimEnd();
  });
  return objects.join('\n---\n');
}

/** The size of dist/ where the docs state it: `<!-- dist size -->N charts, M objects<!-- end dist size -->`. */
const SIZE = /<!-- dist size -->[^<]*<!-- end dist size -->/g;

function distSize(): string {
  const files = readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml'));
  const objects = files.reduce((n, f) => n + parseAllDocuments(readFileSync(join(dist, f), 'utf8')).filter((d) => d.toJS() !== null).length, 0);
  return `${files.length} charts, ${objects} objects`;
}

/** `readme` with every excerpt re-copied from dist/, and the size of dist/ re-counted where it is stated. */
export function withDistExcerpts(readme: string): string {
  return readme
    .replace(EXCERPT, (_, file: string, ids: string) =>
      `<!-- dist: ${file}${ids} -->\n\`\`\`yaml\n${excerpt(file, ids.trim().split(' '))}\n\`\`\`\n<!-- end dist -->`)
    .replace(SIZE, () => `<!-- dist size -->${distSize()}<!-- end dist size -->`);
}

/** How many places state the size of dist/. */
export function distSizeCount(readme: string): number {
  return [...readme.matchAll(SIZE)].length;
}

/** How many excerpts `readme` has. */
export function excerptCount(readme: string): number {
  return [...readme.matchAll(EXCERPT)].length;
}
