/** Words the core's messages share. */

/** "a", "a and b", "a, b and c" (or with another conjunction: "a, b or c"). */
export function listText(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
