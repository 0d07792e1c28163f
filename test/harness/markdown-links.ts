/**
 * The links and images of a Markdown file (inline `[text](target)`, `![alt](target)`, reference definitions
 * `[id]: target`, and HTML `href`/`src`), outside code blocks and code spans, with their line numbers; and a check of
 * where each one points.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface MarkdownLink {
  /** 1-based line of the link. */
  line: number;
  target: string;
  image: boolean;
}

/** Blanks fenced code blocks and code spans (keeping line breaks, so line numbers stay right). */
function withoutCode(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  const out = lines.map((l) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(l);
    if (fence) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && l.trim() === m[1]) fence = undefined;
      return '';
    }
    if (m) {
      fence = m[1];
      return '';
    }
    return l;
  });
  // Code spans: a run of n backticks up to the next run of exactly n backticks.
  return out.join('\n').replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (s) => s.replace(/[^\n]/g, ' '));
}

/** The link target of `(…)` after `]`: `<…>` or up to the first whitespace, titles dropped, balanced parentheses. */
function inlineTarget(text: string, open: number): string | undefined {
  let i = open + 1;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n') i++;
  if (text[i] === '<') {
    const end = text.indexOf('>', i);
    return end < 0 ? undefined : text.slice(i + 1, end);
  }
  let depth = 0;
  const start = i;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (/\s/.test(ch)) break;
  }
  return text.slice(start, i);
}

/** Every link and image in a Markdown text. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const text = withoutCode(markdown.replace(/\r\n?/g, '\n'));
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  const links: MarkdownLink[] = [];
  // Inline links and images: `](` closes the text of a link; an image's text starts with `![`.
  for (const m of text.matchAll(/\]\(/g)) {
    const close = m.index!;
    const target = inlineTarget(text, close + 1);
    if (target === undefined || target === '') continue;
    // Find the matching `[`, to tell an image from a link.
    let depth = 0;
    let j = close - 1;
    for (; j >= 0; j--) {
      if (text[j] === ']') depth++;
      else if (text[j] === '[') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j < 0) continue;
    links.push({ line: lineAt(close), target, image: text[j - 1] === '!' });
  }
  // Reference definitions.
  for (const m of text.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?/gm)) {
    links.push({ line: lineAt(m.index!), target: m[1]!, image: false });
  }
  // HTML.
  for (const m of text.matchAll(/<(a|img|source|video)\b[^>]*?\s(href|src)\s*=\s*["']([^"']+)["']/gi)) {
    links.push({ line: lineAt(m.index!), target: m[3]!, image: m[1]!.toLowerCase() !== 'a' });
  }
  return links.sort((a, b) => a.line - b.line);
}

/** Schemes a link may use without being a file: the web, mail, and VS Code's command links. */
const ALLOWED_SCHEMES = /^(https?:|mailto:|command:)/i;

/**
 * What is wrong with a link in `file` (inside `root`), or undefined when it is fine: a web or mail address, an
 * anchor in the same file, or a path to a file or folder that exists inside `root`. `exists` says whether a path
 * (absolute) exists; by default, on disk.
 */
export function linkProblem(root: string, file: string, target: string, exists: (p: string) => boolean = existsSync): string | undefined {
  if (ALLOWED_SCHEMES.test(target)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return `uses the scheme ${target.split(':')[0]}:, which points outside the repository`;
  if (target.startsWith('#')) return undefined;
  const path = target.replace(/[?#].*$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'is not a valid URL';
  }
  if (isAbsolute(decoded) && !decoded.startsWith('/')) return 'is an absolute path';
  const abs = decoded.startsWith('/') ? join(root, decoded) : resolve(dirname(file), decoded);
  const rel = relative(root, abs);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return 'points outside the repository';
  if (!exists(abs)) return 'points to nothing (no such file or folder)';
  return undefined;
}
