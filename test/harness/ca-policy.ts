/** The text of a Conditional Access policy file, for the suites that write tenants in memory or on disk. */

/** An enabled CA policy for every client: its users and applications conditions, other condition lines, and its grant. */
export function caPolicyText(name: string, users: string, applications: string, conditions: string[], grant: string): string {
  return [
    'kind: ConditionalAccessPolicy',
    `name: ${name}`,
    'spec:',
    `  displayName: ${name}`,
    '  state: enabled',
    '  conditions:',
    `    users: ${users}`,
    `    applications: ${applications}`,
    '    clientAppTypes: [all]',
    ...conditions.map((c) => `    ${c}`),
    `  grantControls: ${grant}`,
    '',
  ].join('\n');
}
