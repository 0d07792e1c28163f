/**
 * The part of VS Code's snippet syntax that our snippet files use: tabstops (`$1`, `${1}`), placeholders
 * (`${1:default}`, nested), choices (`${1|a,b|}`), variables (`$NAME`, `${NAME:default}`) and `\` escapes.
 * Pure (no `vscode`): the "New Policy…" command fills a snippet into a file with it, and the contributes
 * generator turns the YAML snippets into JSON ones with it.
 */

export type SnippetNode =
  | { type: 'text'; value: string }
  | { type: 'tabstop'; index: number; children: SnippetNode[]; start: number; end: number }
  | { type: 'choice'; index: number; options: string[]; start: number; end: number }
  | { type: 'variable'; name: string; children: SnippetNode[]; start: number; end: number };

/** One entry of a VS Code snippet file. */
export interface Snippet {
  prefix: string;
  description: string;
  isFileTemplate?: boolean;
  body: string[];
}
export type SnippetFile = Record<string, Snippet>;

/** Parses snippet text. Text that is not valid syntax stays literal text, as VS Code does. */
export function parseSnippet(text: string): SnippetNode[] {
  return new Parser(text).parseUntil(() => false);
}

/**
 * Expands a snippet to plain text. `values` fills tabstops by index (every mirror of it too); a tabstop without a
 * value takes its default, a choice its first option, and a variable the value in `variables` (else its default).
 */
export function expandSnippet(
  text: string,
  values: Record<number, string> = {},
  variables: Record<string, string> = {},
): string {
  const nodes = parseSnippet(text);
  const defaults = new Map<number, string>();
  const render = (list: SnippetNode[]): string =>
    list
      .map((n) => {
        switch (n.type) {
          case 'text':
            return n.value;
          case 'choice':
            return values[n.index] ?? n.options[0] ?? '';
          case 'variable':
            return variables[n.name] ?? render(n.children);
          case 'tabstop':
            return values[n.index] ?? (render(n.children) || defaults.get(n.index) || '');
        }
      })
      .join('');
  collectDefaults(nodes, defaults, render);
  return render(nodes);
}

/** A mirror (`$1`) shows the default given at another occurrence of the same tabstop. */
function collectDefaults(nodes: SnippetNode[], into: Map<number, string>, render: (n: SnippetNode[]) => string): void {
  for (const n of nodes) {
    if (n.type === 'tabstop' && n.children.length && !into.has(n.index)) into.set(n.index, render(n.children));
    if (n.type === 'choice' && !into.has(n.index)) into.set(n.index, n.options[0] ?? '');
    if (n.type === 'tabstop' || n.type === 'variable') collectDefaults(n.children, into, render);
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  /** Reads nodes until `stop` says so at a position (the caller consumes the stop character). */
  parseUntil(stop: (ch: string) => boolean): SnippetNode[] {
    const out: SnippetNode[] = [];
    let literal = '';
    const flush = () => {
      if (literal) out.push({ type: 'text', value: literal });
      literal = '';
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (stop(ch)) break;
      if (ch === '\\' && '$}\\'.includes(this.text[this.pos + 1] ?? '')) {
        literal += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === '$') {
        const node = this.tryDollar();
        if (node) {
          flush();
          out.push(node);
          continue;
        }
      }
      literal += ch;
      this.pos++;
    }
    flush();
    return out;
  }

  /** At a `$`: a tabstop, choice or variable, or undefined (and the position unchanged) for a literal `$`. */
  private tryDollar(): SnippetNode | undefined {
    const start = this.pos;
    const rest = this.text.slice(start + 1);
    const bare = /^(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (bare) {
      this.pos = start + 1 + bare[0].length;
      return this.simple(bare[0], start);
    }
    if (!rest.startsWith('{')) return undefined;
    const head = /^\{(\d+|[A-Za-z_][A-Za-z0-9_]*)([}:|])/.exec(rest);
    if (!head) return undefined;
    this.pos = start + 1 + head[0].length;
    const id = head[1]!;
    const isIndex = /^\d/.test(id);
    if (head[2] === '}') return this.simple(id, start);
    if (head[2] === '|' && isIndex) return this.choice(Number(id), start);
    if (head[2] === ':') {
      const children = this.parseUntil((c) => c === '}');
      if (this.text[this.pos] === '}') {
        this.pos++;
        return isIndex
          ? { type: 'tabstop', index: Number(id), children, start, end: this.pos }
          : { type: 'variable', name: id, children, start, end: this.pos };
      }
    }
    this.pos = start;
    return undefined;
  }

  private simple(id: string, start: number): SnippetNode {
    return /^\d/.test(id)
      ? { type: 'tabstop', index: Number(id), children: [], start, end: this.pos }
      : { type: 'variable', name: id, children: [], start, end: this.pos };
  }

  private choice(index: number, start: number): SnippetNode | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === '\\' && ',|\\$}'.includes(this.text[this.pos + 1] ?? '')) {
        current += this.text[this.pos + 1];
        this.pos += 2;
      } else if (ch === ',') {
        options.push(current);
        current = '';
        this.pos++;
      } else if (ch === '|' && this.text[this.pos + 1] === '}') {
        options.push(current);
        this.pos += 2;
        return { type: 'choice', index, options, start, end: this.pos };
      } else {
        current += ch;
        this.pos++;
      }
    }
    this.pos = start;
    return undefined;
  }
}
