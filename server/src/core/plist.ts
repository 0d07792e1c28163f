/**
 * A small, strict reader of Apple's XML property lists (the `.mobileconfig` a macOS custom configuration profile
 * carries). It reads the types a configuration profile uses, `dict`, `array`, `string`, `true`, `false`, `integer`,
 * `real`, `data` and `date`, and refuses anything else: a binary plist (`bplist00`), an element it does not know, a
 * `dict` whose keys and values do not alternate, text outside the elements. A list it cannot read is an answer of its
 * own (`ok: false`), never an empty one: a profile we cannot read may hold anything.
 * Format: https://developer.apple.com/library/archive/documentation/Cocoa/Conceptual/PropertyLists/AboutPropertyLists/AboutPropertyLists.html
 * (the DTD `http://www.apple.com/DTDs/PropertyList-1.0.dtd`).
 */

/** A `data` element: its base64 text, as written (whitespace removed). */
export class PlistData {
  constructor(readonly base64: string) {}
}
/** A `date` element: its ISO 8601 text, as written. */
export class PlistDate {
  constructor(readonly text: string) {}
}
export type PlistValue = string | number | boolean | PlistData | PlistDate | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

export type PlistResult = { ok: true; value: PlistValue } | { ok: false; reason: string };

/** Whether a plist value is a `dict`. */
export function isPlistDict(v: PlistValue | undefined): v is PlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PlistData) && !(v instanceof PlistDate);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class PlistError extends Error {}

/** Read an XML property list's text. */
export function parsePlist(text: string): PlistResult {
  if (text.startsWith('bplist')) return { ok: false, reason: 'a binary property list (`bplist00`), which this reader does not read' };
  try {
    return { ok: true, value: new Reader(text.replace(/^\uFEFF/, '')).document() };
  } catch (e) {
    if (e instanceof PlistError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** An element's start: its name, and whether it closes itself (`<true/>`). */
interface Tag {
  name: string;
  empty: boolean;
}

/**
 * The deepest nesting of `array` and `dict` read: a configuration profile nests three or four levels (the profile, its
 * `PayloadContent`, a payload, its settings); a file nested thousands deep is refused, not read on the call stack.
 */
const MAX_DEPTH = 64;

class Reader {
  private at = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  document(): PlistValue {
    this.prolog();
    const root = this.openTag();
    if (root.name !== 'plist') throw new PlistError(`the root element is \`<${root.name}>\`, not \`<plist>\``);
    if (root.empty) throw new PlistError('`<plist/>` holds no value');
    const value = this.value(this.openTag());
    this.closeTag('plist');
    this.misc();
    if (this.at < this.text.length) throw new PlistError(`text after \`</plist>\` at offset ${this.at}`);
    return value;
  }

  /** The XML declaration, the DOCTYPE, comments and whitespace before the root. */
  private prolog(): void {
    this.misc();
    if (this.text.startsWith('<?xml', this.at)) {
      const end = this.text.indexOf('?>', this.at);
      if (end < 0) throw new PlistError('an XML declaration that never ends');
      this.at = end + 2;
    }
    this.misc();
    if (this.text.startsWith('<!DOCTYPE', this.at)) {
      const end = this.text.indexOf('>', this.at);
      if (end < 0) throw new PlistError('a DOCTYPE that never ends');
      this.at = end + 1;
    }
    this.misc();
  }

  /** Whitespace and comments. */
  private misc(): void {
    for (;;) {
      while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
      if (!this.text.startsWith('<!--', this.at)) return;
      const end = this.text.indexOf('-->', this.at + 4);
      if (end < 0) throw new PlistError('a comment that never ends');
      this.at = end + 3;
    }
  }

  private openTag(): Tag {
    this.misc();
    const m = /^<([A-Za-z][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(this.text.slice(this.at, this.at + 512));
    if (!m) throw new PlistError(`an element was expected at offset ${this.at}`);
    this.at += m[0].length;
    return { name: m[1]!, empty: m[3] === '/' };
  }

  private closeTag(name: string): void {
    this.misc();
    const m = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(this.text.slice(this.at, this.at + 256));
    if (!m || m[1] !== name) throw new PlistError(`\`</${name}>\` was expected at offset ${this.at}`);
    this.at += m[0].length;
  }

  /** Whether the next thing (after whitespace and comments) closes `name`. */
  private closes(name: string): boolean {
    this.misc();
    return this.text.startsWith(`</${name}`, this.at);
  }

  /** The character data up to the element's end tag, entities decoded; no element inside. */
  private chars(name: string): string {
    const end = this.text.indexOf('<', this.at);
    if (end < 0) throw new PlistError(`\`<${name}>\` never ends`);
    const raw = this.text.slice(this.at, end);
    this.at = end;
    // CDATA is XML, and plutil writes none; a profile that has it is read as unknown rather than guessed at.
    if (this.text.startsWith('<![CDATA[', this.at)) throw new PlistError(`CDATA inside \`<${name}>\`, which this reader does not read`);
    this.closeTagExact(name);
    return decodeEntities(raw);
  }

  /** The end tag right here, with no whitespace skipped (it would be part of a string's value). */
  private closeTagExact(name: string): void {
    const m = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(this.text.slice(this.at, this.at + 256));
    if (!m || m[1] !== name) throw new PlistError(`\`</${name}>\` was expected at offset ${this.at}`);
    this.at += m[0].length;
  }

  private value(tag: Tag): PlistValue {
    if ((tag.name === 'array' || tag.name === 'dict') && !tag.empty) {
      if (this.depth >= MAX_DEPTH) throw new PlistError(`\`<array>\` and \`<dict>\` nested deeper than ${MAX_DEPTH}`);
      this.depth++;
      try {
        return this.element(tag);
      } finally {
        this.depth--;
      }
    }
    return this.element(tag);
  }

  private element(tag: Tag): PlistValue {
    switch (tag.name) {
      case 'true':
      case 'false':
        if (!tag.empty) this.closeTag(tag.name);
        return tag.name === 'true';
      case 'string':
      case 'key':
        return tag.empty ? '' : this.chars(tag.name);
      case 'integer': {
        const t = tag.empty ? '' : this.chars('integer').trim();
        if (!/^[+-]?(\d+|0x[0-9a-fA-F]+)$/.test(t)) throw new PlistError(`\`<integer>${t}</integer>\` is not an integer`);
        return t.includes('x') ? (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]?0x/, ''), 16) : Number(t);
      }
      case 'real': {
        const t = tag.empty ? '' : this.chars('real').trim();
        const n = Number(t);
        if (t === '' || Number.isNaN(n)) throw new PlistError(`\`<real>${t}</real>\` is not a number`);
        return n;
      }
      case 'data': {
        const t = tag.empty ? '' : this.chars('data').replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new PlistError('`<data>` that is not base64');
        return new PlistData(t);
      }
      case 'date':
        return new PlistDate(tag.empty ? '' : this.chars('date').trim());
      case 'array': {
        const items: PlistValue[] = [];
        if (tag.empty) return items;
        while (!this.closes('array')) items.push(this.value(this.openTag()));
        this.closeTag('array');
        return items;
      }
      case 'dict': {
        const dict: PlistDict = Object.create(null) as PlistDict;
        if (tag.empty) return dict;
        while (!this.closes('dict')) {
          const k = this.openTag();
          if (k.name !== 'key') throw new PlistError(`\`<${k.name}>\` where a \`<dict>\` expects a \`<key>\``);
          const key = k.empty ? '' : this.chars('key');
          if (this.closes('dict')) throw new PlistError(`the key \`${key}\` has no value`);
          const v = this.openTag();
          if (v.name === 'key') throw new PlistError(`the key \`${key}\` has no value`);
          dict[key] = this.value(v);
        }
        this.closeTag('dict');
        return dict;
      }
      default:
        throw new PlistError(`\`<${tag.name}>\` is not a property list element`);
    }
  }
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, e: string) => {
    if (e.startsWith('#')) {
      const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) throw new PlistError(`the character reference \`${whole}\` names no character`);
      return String.fromCodePoint(code);
    }
    const named = ENTITIES[e];
    if (named === undefined) throw new PlistError(`the entity \`${whole}\` is not one XML defines`);
    return named;
  });
}
