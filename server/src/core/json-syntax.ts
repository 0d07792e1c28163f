/**
 * Strict JSON (RFC 8259) for `.json` files: one linear, iterative pass over the text that builds nothing and reports
 * every syntax error it meets (up to a cap), each on its exact token, in JSON's words. The `yaml` library still
 * builds the tree afterwards (JSON is YAML 1.2, so a file that passes here reads the same), but on its own it would
 * accept trailing commas, comments and single quotes, and word a missing comma in YAML's terms.
 *
 * Written here rather than taken from `jsonc-parser`: its visitor recurses per nesting level (a hostile file
 * overflows the stack), it reports a trailing comma at the closing bracket as two errors, and its UMD entry point
 * does not bundle with esbuild's defaults.
 */
import type { Span } from './types';

export interface JsonSyntaxProblem {
  message: string;
  span: Span;
}

export interface JsonSyntaxOptions {
  /** Report at most this many errors, then one line saying that more follow. */
  maxProblems: number;
  /** Give up (return undefined) past this nesting depth: the caller's depth limit reports such a file. */
  maxDepth: number;
  /** 1-based line of an offset, for messages that name where a bracket was opened. */
  lineOf?: (offset: number) => number;
}

// What the scanner expects next.
const VALUE = 0; // any value (top level, after `:`, after `,` in an array)
const FIRST_ITEM = 1; // a value or `]` (just after `[`)
const FIRST_KEY = 2; // a property name or `}` (just after `{`)
const KEY = 3; // a property name (after `,` in an object)
const COLON = 4;
const COMMA_OR_CLOSE = 5;
const END = 6; // the top-level value is complete

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z0-9_$.+-]+/y;

class Abandon {}

/**
 * The syntax errors of a `.json` file's text (already decoded; a leading BOM is allowed). An empty or
 * white-space-only text has none, as an empty YAML file has none: it holds no policy. Returns undefined when the
 * text nests deeper than `maxDepth`, which the caller reports on its own.
 */
export function checkJsonSyntax(text: string, options: JsonSyntaxOptions): JsonSyntaxProblem[] | undefined {
  const n = text.length;
  const problems: JsonSyntaxProblem[] = [];
  const lineOf = options.lineOf ?? ((o: number) => lineNumber(text, o));
  const openers: number[] = []; // offsets of the open `{` and `[`
  let want = VALUE;
  let lastComma = -1;
  let afterColon = false;
  let afterBrokenString = false; // an unterminated string swallowed the rest of its line, commas included

  const report = (message: string, offset: number, length: number): void => {
    const last = problems[problems.length - 1];
    if (last && last.span.offset === offset) return; // one error per token
    if (problems.length === options.maxProblems) {
      problems.push({ message: `more syntax errors follow; only the first ${options.maxProblems} are reported (fix these first)`, span: { offset, length } });
      throw new Abandon();
    }
    problems.push({ message, span: { offset, length } });
  };
  const topIsObject = (): boolean => text.charCodeAt(openers[openers.length - 1]!) === OPEN_BRACE;
  const valueDone = (): void => {
    want = openers.length ? COMMA_OR_CLOSE : END;
    afterColon = false;
  };
  const open = (offset: number, c: number): void => {
    openers.push(offset);
    if (openers.length > options.maxDepth) throw new Abandon();
    want = c === OPEN_BRACE ? FIRST_KEY : FIRST_ITEM;
    afterColon = false;
  };
  /** A closer that matches no open bracket of its kind at the top: close down to its match, or skip it. */
  const mismatched = (offset: number, c: number): void => {
    const opener = c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET;
    const top = openers[openers.length - 1];
    let match = -1;
    for (let k = openers.length - 1; k >= 0; k--) {
      if (text.charCodeAt(openers[k]!) === opener) {
        match = k;
        break;
      }
    }
    if (top !== undefined && match < 0 && want === VALUE && afterColon) {
      report(`a value expected, not \`${String.fromCharCode(c)}\` (no \`${String.fromCharCode(opener)}\` is open)`, offset, 1);
      valueDone(); // as if the value were there, so that the bracket that follows closes quietly
      return;
    }
    if (top === undefined || match < 0) {
      report(`unexpected \`${String.fromCharCode(c)}\`: no \`${String.fromCharCode(opener)}\` is open`, offset, 1);
      return;
    }
    const expected = text.charCodeAt(top) === OPEN_BRACE ? '}' : ']';
    report(`\`${expected}\` expected to close the \`${text[top]}\` on line ${lineOf(top)} before this \`${String.fromCharCode(c)}\``, offset, 1);
    openers.length = match;
    valueDone();
  };

  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    while (true) {
      // White space, as JSON defines it: space, tab, line feed, carriage return.
      let c = text.charCodeAt(i);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
      if (i >= n) break;
      const start = i;

      if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) {
        // A comment: reported, then read past as if it were white space.
        if (text.charCodeAt(i + 1) === 47) {
          while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
          report('comments are not allowed in JSON; remove it (or move the note into `description`)', start, i - start);
        } else {
          const close = text.indexOf('*/', i + 2);
          i = close < 0 ? n : close + 2;
          report(close < 0 ? 'comments are not allowed in JSON (and this one is never closed with `*/`)' : 'comments are not allowed in JSON; remove it (or move the note into `description`)', start, firstLineLength(text, start, i));
        }
        continue;
      }

      const broken = afterBrokenString;
      afterBrokenString = false;

      if (want === END) {
        const what = c === CLOSE_BRACE || c === CLOSE_BRACKET ? `\`${text[i]}\`: nothing is left to close` : `${describeAt(text, i)} after the end of the JSON value (a file holds exactly one value)`;
        report(`unexpected ${what}`, start, tokenLength(text, i));
        break;
      }

      if (c === 44) {
        // `,`
        if (want === COMMA_OR_CLOSE) {
          lastComma = i;
          want = topIsObject() ? KEY : VALUE;
        } else if (want === COLON) {
          report('`:` and a value expected after the property name', start, 1);
          lastComma = i;
          want = KEY;
        } else if (want === VALUE && afterColon) {
          report('a value expected before `,`', start, 1);
          lastComma = i;
          want = KEY;
          afterColon = false;
        } else if ((want === KEY || want === VALUE) && lastComma >= 0 && text.slice(lastComma + 1, i).trim() === '') {
          report('extra `,`; remove it', start, 1);
          lastComma = i; // so that a closing bracket next reports nothing more
        } else {
          report(want === KEY || want === FIRST_KEY ? 'unexpected `,`: a property name expected' : 'unexpected `,`: a value expected', start, 1);
        }
        i++;
        continue;
      }

      if (c === 58) {
        // `:`
        if (want === COLON) {
          want = VALUE;
          afterColon = true;
        } else if (want === KEY || want === FIRST_KEY) {
          report('a property name expected before `:`', start, 1);
          want = VALUE;
          afterColon = true;
        } else report('unexpected `:`', start, 1);
        i++;
        continue;
      }

      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        const matches = openers.length > 0 && text.charCodeAt(openers[openers.length - 1]!) === (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET);
        if (!matches) mismatched(i, c);
        else {
          if (want === KEY || (want === VALUE && !afterColon)) {
            report(`trailing comma before \`${text[i]}\`; remove it (JSON allows none)`, lastComma, 1);
          } else if (want === VALUE) report(`a value expected before \`${text[i]}\``, start, 1);
          else if (want === COLON) report(`\`:\` and a value expected after the property name`, start, 1);
          openers.pop();
          valueDone();
        }
        i++;
        continue;
      }

      // Everything else starts a value: a bracket, a string, a number or a word; or it is a stray character.
      if (c === 59 && want === COMMA_OR_CLOSE) {
        report('`;` does not separate values in JSON; use `,`', start, 1);
        lastComma = i++;
        want = topIsObject() ? KEY : VALUE;
        continue;
      }
      if (!startsValue(c)) {
        const cp = String.fromCodePoint(text.codePointAt(i)!);
        report(`unexpected character \`${printable(text, i)}\``, start, cp.length);
        i += cp.length;
        continue; // not a value: expect the same as before it
      }
      if (want === COMMA_OR_CLOSE && broken) want = topIsObject() ? KEY : VALUE; // the comma is in the string
      else if (want === COMMA_OR_CLOSE) {
        report(topIsObject() ? 'missing comma between properties; add `,` before this one' : 'missing comma between values; add `,` before this one', start, tokenLength(text, i));
        want = topIsObject() ? KEY : VALUE;
      } else if (want === COLON) {
        report('`:` expected after the property name', start, tokenLength(text, i));
        want = VALUE;
      }
      const key = want === KEY || want === FIRST_KEY;

      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (key) report('a property name (a string in double quotes) expected', start, 1);
        open(i, c);
        i++;
        continue;
      }
      if (c === 34) {
        const end = scanString(text, i, report);
        afterBrokenString = end < 0;
        i = end < 0 ? ~end : end;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        NUMBER.lastIndex = i;
        const m = NUMBER.test(text) ? NUMBER.lastIndex : i;
        WORD.lastIndex = i;
        const end = WORD.test(text) ? WORD.lastIndex : i + 1;
        if (m !== end || m === i) report(`\`${text.slice(i, Math.min(end, i + 40))}\` is not a JSON number (no leading zeros, \`+\`, hexadecimal, \`Infinity\` or bare \`.\`)`, start, end - i);
        else if (key) report('property names must be strings in double quotes in JSON', start, end - i);
        i = end;
      } else if (c === 39 || c === 0x201c || c === 0x2018) {
        // 'single' or “curly” quotes: read to the closing quote on the line, as a string.
        const closer = c === 39 ? 39 : c === 0x201c ? 0x201d : 0x2019;
        let j = i + 1;
        while (j < n && text.charCodeAt(j) !== closer && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
        if (text.charCodeAt(j) === closer) j++;
        report(c === 39 ? 'strings must be in double quotes (`"`) in JSON, not single quotes' : 'curly quotes are not JSON quotes; use straight double quotes (`"`)', start, j - i);
        i = j;
      } else {
        WORD.lastIndex = i;
        const end = WORD.test(text) ? WORD.lastIndex : i + 1;
        const word = text.slice(i, end);
        if (key) report(`property names must be strings in double quotes in JSON: \`"${word.slice(0, 40)}"\``, start, end - i);
        else if (word !== 'true' && word !== 'false' && word !== 'null') {
          report(`\`${word.slice(0, 40)}\` is not a JSON value; write a string in double quotes, a number, \`true\`, \`false\` or \`null\``, start, end - i);
        }
        i = end;
      }
      if (key) want = COLON;
      else valueDone();
    }

    if (openers.length) {
      const top = openers[openers.length - 1]!;
      const close = text.charCodeAt(top) === OPEN_BRACE ? '}' : ']';
      const need = want === COLON ? '`:` and a value' : want === VALUE && afterColon ? 'a value' : want === KEY ? 'a property name' : `\`${close}\``;
      report(`unexpected end of file: ${need} expected (the \`${text[top]}\` on line ${lineOf(top)} is not closed)`, contentEnd(text), 0);
    } else if (want === VALUE && afterColon) {
      report('unexpected end of file: a value expected', contentEnd(text), 0);
    }
  } catch (e) {
    if (!(e instanceof Abandon)) throw e;
    if (openers.length > options.maxDepth) return undefined;
  }
  return problems;
}

/** Whether a character can start a JSON value, or a near miss that is read as one (a word, a quoted string). */
function startsValue(c: number): boolean {
  return (
    c === OPEN_BRACE || c === OPEN_BRACKET || c === 34 || c === 39 || c === 0x201c || c === 0x2018 ||
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 43 || c === 46 || c === 95 || c === 36
  );
}

/** Scan a double-quoted string from its opening quote; returns the offset after it, or `~offset` when it is not closed. */
function scanString(text: string, start: number, report: (message: string, offset: number, length: number) => void): number {
  const n = text.length;
  let j = start + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      const e = text.charCodeAt(j + 1);
      if (e === 117) {
        if (/^[0-9A-Fa-f]{4}$/.test(text.slice(j + 2, j + 6))) j += 6;
        else {
          report('`\\u` must be followed by four hexadecimal digits', j, Math.min(6, n - j));
          j += 2;
        }
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) j += 2;
      else if (j + 1 >= n || e === 10 || e === 13) j++;
      else {
        report(`invalid escape \`\\${text[j + 1]}\` in a string; JSON has \`\\"\`, \`\\\\\`, \`\\/\`, \`\\b\`, \`\\f\`, \`\\n\`, \`\\r\`, \`\\t\` and \`\\uXXXX\` (write a backslash as \`\\\\\`)`, j, 2);
        j += 2;
      }
      continue;
    }
    if (c === 10 || c === 13) break;
    if (c < 32) report(c === 9 ? 'a tab inside a string must be written `\\t` in JSON' : `control character U+${c.toString(16).toUpperCase().padStart(4, '0')} inside a string; write it as \`\\u${c.toString(16).padStart(4, '0')}\``, j, 1);
    j++;
  }
  report('unterminated string: the closing `"` is missing (a JSON string ends on its line)', start, j - start);
  return ~j;
}

/** The length of the token at `i`, for a span: a word, a string's opening quote, or one character. */
function tokenLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) {
    const end = text.indexOf('"', i + 1);
    const nl = text.slice(i, end < 0 ? undefined : end).search(/[\r\n]/);
    return end < 0 || nl >= 0 ? 1 : end + 1 - i;
  }
  WORD.lastIndex = i;
  return WORD.test(text) ? WORD.lastIndex - i : 1;
}

function describeAt(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return `\`${text[i]}\``;
  if (c === 34) return 'string';
  return `\`${text.slice(i, i + tokenLength(text, i)).slice(0, 40)}\``;
}

function printable(text: string, i: number): string {
  const cp = text.codePointAt(i)!;
  if (cp < 32 || cp === 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp === 0xfeff || (cp >= 0x2000 && cp <= 0x200f) || cp === 0x2028 || cp === 0x2029) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return String.fromCodePoint(cp);
}

/** Just after the last character that is not white space: where a missing closing bracket belongs. */
function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function firstLineLength(text: string, start: number, end: number): number {
  const nl = text.slice(start, end).search(/[\r\n]/);
  return nl < 0 ? end - start : nl;
}

function lineNumber(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) line++;
  }
  return line;
}
