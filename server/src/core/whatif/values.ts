/** Reading a policy's loosely typed values, and writing them into the evaluation's words. */
import { isPlainObject } from '../document';

/** The value as an object, or undefined when it is not one. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return isPlainObject(v) ? v : undefined;
}

/** The strings of an array value (anything else left out). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Lower case, for the comparisons Entra makes without regard to case. */
export const lower = (s: string): string => s.toLowerCase();

/** A list as the details show it: `[a, b]`. */
export const list = (xs: string[]): string => `[${xs.join(', ')}]`;
