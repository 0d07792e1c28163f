/** `ztp rules`: the rule catalogue, with each rule's sources and the live-tenant auditor checks it corresponds to. */
import { catalogueMarkdown, catalogueText } from '../../core/index';
import { formatOption, lastValue, readArgs, UsageError } from '../args';
import type { CliIO, Command } from '../io';
import { openSession } from '../load';

const HELP = `Usage:
  ztp rules [--format text|json|md]

Lists every rule: its id, category (structure or layer), layer, default severity, whether it has a quick fix, the
Microsoft Learn pages it comes from, and the checks of the live-tenant auditors it corresponds to (Maester MT.…,
the Zero Trust Assessment ZTA …, CISA ScubaGear MS.…), which it makes from the files, before deployment.

  --format text|json|md   default: text; json is an array of { id, category, layer, severity, fix, sources, peers }

Exit status: 0; 2 a usage problem.`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const a = readArgs(argv, { values: ['--format'] }, 'rules');
  if (a.positionals.length) throw new UsageError(`ztp rules takes no argument ('${a.positionals[0]}'); see ztp rules --help`);
  const format = formatOption(lastValue(a, '--format'), ['text', 'json', 'md'], 'text', { markdown: 'md' });
  const entries = openSession(io).service.catalogue();
  if (format === 'json') {
    const json = entries.map((e) => ({ id: e.id, category: e.category, layer: e.layer, severity: e.severity, fix: e.fix, sources: e.sources, peers: e.peers, title: e.title }));
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else io.stdout((format === 'md' ? catalogueMarkdown(entries) : catalogueText(entries)) + '\n');
  return 0;
}

export const rules: Command = { name: 'rules', prefix: 'ztp', help: HELP, run };
