/**
 * A generated table in the README, between two marker comments, as `npm run docs` writes it and
 * the catalogue tests compare it.
 */
export class ReadmeTable {
  constructor(private readonly start: string, private readonly end: string, private readonly header: string[]) {}

  /** The section: markers, header and one row per entry. */
  public render(rows: string[]): string {
    return [this.start, '', `| ${this.header.join(' | ')} |`, `|${this.header.map(() => '---|').join('')}`, ...rows, '', this.end].join('\n');
  }

  /** `readme` with this section replaced by `rendered`. */
  public replaceIn(readme: string, rendered: string): string {
    const start = readme.indexOf(this.start);
    const end = readme.indexOf(this.end);
    if (start < 0 || end < 0) throw new Error(`README has no markers ${this.start} ... ${this.end}`);
    return readme.slice(0, start) + rendered + readme.slice(end + this.end.length);
  }
}

/** A table cell holding code: backquoted, with pipes escaped. */
export function codeCell(text: string): string {
  return `\`${text.replace(/\|/g, '\\|')}\``;
}
