/** Reading a policy's loosely typed values, and writing them into the evaluation's words. */
import { asObject, strings } from '../document';

/** The value as an object, or undefined when it is not one. */
export const obj = asObject;

/** The strings of an array value (anything else left out). */
export { strings };

/** Lower case, for the comparisons Entra makes without regard to case. */
export const lower = (s: string): string => s.toLowerCase();

/** A list as the details show it: `[a, b]`. */
export const list = (xs: string[]): string => `[${xs.join(', ')}]`;
