/** The one argument reader of every command, and the one kind of usage error. */

/** A mistake on the command line: one line on stderr, exit status 2. */
export class UsageError extends Error {}

export interface ArgSpec {
  /** Options that take a value: `--out x` or `--out=x`. */
  values?: string[];
  /** Options that stand alone: `--fix`. */
  flags?: string[];
  /** Other spellings: `{ '-o': '--out' }`. */
  aliases?: Record<string, string>;
}

export interface Args {
  positionals: string[];
  flags: Set<string>;
  /** Every value each option was given, in order (repeatable options keep them all). */
  values: Map<string, string[]>;
}

/**
 * Read `argv` against a command's options. `--` ends the options; `-` alone is a path. A value is the rest of
 * `--name=value`, or the next argument unless that is another `--option`.
 */
export function readArgs(argv: string[], spec: ArgSpec, command: string): Args {
  const out: Args = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const written = eq > 0 ? a.slice(0, eq) : a;
    const name = spec.aliases?.[written] ?? written;
    if (spec.values?.includes(name)) {
      let value: string | undefined;
      if (eq > 0) value = a.slice(eq + 1);
      else {
        value = argv[++i];
        if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`${name} needs a value`);
      }
      out.values.set(name, [...(out.values.get(name) ?? []), value]);
    } else if (spec.flags?.includes(name) && eq < 0) out.flags.add(name);
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'; see ztp ${command} --help`);
    else out.positionals.push(a);
  }
  return out;
}

/** The last value given to an option. */
export function lastValue(args: Args, name: string): string | undefined {
  return args.values.get(name)?.at(-1);
}

/** The one positional argument a command takes (`what` names it in the message when there are more). */
export function onePositional(args: Args, what: string): string | undefined {
  if (args.positionals.length > 1) throw new UsageError(`one ${what} at a time ('${args.positionals[0]}' and '${args.positionals[1]}')`);
  return args.positionals[0];
}

/** A `--format` value, one of `allowed` (`aliases` map other spellings onto them); `fallback` when not given. */
export function formatOption<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, aliases: Record<string, T> = {}): T {
  if (value === undefined) return fallback;
  const v = aliases[value] ?? value;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`unknown format '${value}'; use ${allowed.slice(0, -1).join(', ')}${allowed.length > 1 ? ' or ' : ''}${allowed.at(-1)}`);
}

/** The option that sets the size limit, taken by every command that reads a tenant (check, whatif, report, diff). */
export const MAX_FILE_SIZE = '--max-file-size';

/**
 * Its line in a command's help, the value's description starting at column `width` (each help aligns its own).
 * A larger file is not analysed: it may hold any policy its first bytes do not rule out, so none is taken as missing.
 */
export function maxFileSizeHelp(width: number): string {
  return `${`${MAX_FILE_SIZE} <MB>`.padEnd(width)}larger files are not analysed: what they may hold is unknown (default: 5)`;
}

/** `--max-file-size <MB>` in bytes, undefined when not given (the service's default, 5 MB); a usage error if not a size. */
export function maxFileSizeOption(args: Args): number | undefined {
  const size = lastValue(args, MAX_FILE_SIZE);
  if (size === undefined) return undefined;
  const mb = Number(size);
  if (!/^\d+(\.\d+)?$/.test(size.trim()) || !(mb > 0)) throw new UsageError(`${MAX_FILE_SIZE} takes a size in MB greater than 0, not '${size}'`);
  return mb * 1024 * 1024;
}
