/**
 * `ztp whatif`: offline Conditional Access What If for one sign-in, or `--lockout`, the check that no break-glass
 * account or included group is locked out (a CI gate).
 */
import { escapeControls } from './format';
import { normalizeSlashes, relative } from '../core/paths';
import { evaluate, validateScenario, CLIENT_APPS, RISK_LEVELS, type WhatIfScenario } from '../core/whatif';
import { lockoutCheck } from '../core/lockout';
import { lockoutJson, lockoutText, whatIfJson, whatIfText } from '../core/features/whatif-format';
import { ArgReader, CommandError, loadTenant, optionName } from './tenant-load';
import type { CliIO } from './main';

export const WHATIF_HELP = `Usage:
  ztp whatif <tenant> --user <upn|group> --platform <platform> [options]
  ztp whatif --lockout <tenant> [--format text|json]

Evaluates every Conditional Access policy of the tenant folder for one sign-in, offline: whether each applies
and why, its grant, and the result (allowed, allowed if…, blocked, or unsatisfiable when the tenant cannot meet a
requirement, e.g. a compliant device on a platform with no compliance policy).

Scenario:
  --user <upn|group>          who signs in: a user principal name, and/or manifest groups (repeat, or a,b)
  --role <name|id>            a directory role the user holds (repeatable; e.g. "Global Administrator")
  --guest                     the user is a guest or external user
  --platform <p>              ${['windows', 'iOS', 'android', 'macOS', 'linux'].join(', ')}
  --app <id>                  an app id, Office365, MicrosoftAdminPortals, or All (default: All, every app)
  --client-app <type>         ${CLIENT_APPS.join(', ')} (default: browser)
  --device-compliant          the device is marked compliant
  --app-protected             the app has an app protection policy
  --hybrid-joined             the device is Microsoft Entra hybrid joined
  --location <id|trusted>     a named location id, or trusted (default: an untrusted location)
  --risk <level>              sign-in risk: ${RISK_LEVELS.join(', ')} (default: none)
  --user-risk <level>         user risk (default: none)
  --format text|json          output format (default: text)

--lockout signs in as every break-glass account and a sample member of every group the policies include, on
every platform of the manifest, to every app, in a browser and in mobile/desktop apps, and reports each sign-in
that ends blocked or unsatisfiable, with the policy to fix.

Exit status: 0 the evaluation ran (whatever the verdict); 1 with --lockout when a lockout is found; 2 a usage or
I/O problem.`;

interface WhatIfArgs {
  tenant?: string;
  lockout: boolean;
  format: 'text' | 'json';
  scenario: Partial<WhatIfScenario> & { user: string[]; roles: string[] };
}

function parse(args: string[]): WhatIfArgs {
  const out: WhatIfArgs = { lockout: false, format: 'text', scenario: { user: [], roles: [] } };
  const r = new ArgReader(args);
  const s = out.scenario;
  for (let a = r.next(); a !== undefined; a = r.next()) {
    const name = optionName(a);
    switch (name) {
      case '--lockout':
        out.lockout = true;
        break;
      case '--user':
        s.user.push(...r.value(a, name).split(',').map((x) => x.trim()).filter(Boolean));
        break;
      case '--role':
        s.roles.push(r.value(a, name));
        break;
      case '--guest':
        s.guest = true;
        break;
      case '--platform':
        s.platform = r.value(a, name);
        break;
      case '--app':
        s.app = r.value(a, name);
        break;
      case '--client-app':
        s.clientApp = r.value(a, name);
        break;
      case '--device-compliant':
        s.deviceCompliant = true;
        break;
      case '--app-protected':
        s.appProtected = true;
        break;
      case '--hybrid-joined':
        s.hybridJoined = true;
        break;
      case '--location':
        s.location = r.value(a, name);
        break;
      case '--risk':
        s.risk = { ...s.risk, signIn: r.value(a, name) };
        break;
      case '--user-risk':
        s.risk = { ...s.risk, user: r.value(a, name) };
        break;
      case '--format': {
        const v = r.value(a, name);
        if (v !== 'text' && v !== 'json') throw new CommandError(`unknown format '${v}'; use text or json`);
        out.format = v;
        break;
      }
      default:
        if (a.startsWith('-')) throw new CommandError(`unknown option '${a}'; see ztp whatif --help`);
        if (out.tenant !== undefined) throw new CommandError(`one tenant folder at a time ('${out.tenant}' and '${a}')`);
        out.tenant = a;
    }
  }
  return out;
}

/** Runs `ztp whatif`; returns the exit status. */
export async function whatif(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(WHATIF_HELP + '\n');
    return 0;
  }
  const args = parse(argv);
  if (args.tenant === undefined) throw new CommandError('name the tenant folder: ztp whatif <tenant> --user … --platform …');
  const loaded = await loadTenant(args.tenant, io.cwd);
  for (const p of loaded.problems) io.stderr(`ztp: ${escapeControls(p)}\n`);
  const rel = (p: string): string => relative(normalizeSlashes(io.cwd), p);
  if (args.lockout) {
    const report = lockoutCheck(loaded.view);
    io.stdout((args.format === 'json' ? JSON.stringify(lockoutJson(report, rel), null, 2) : escapeLines(lockoutText(report, rel))) + '\n');
    return report.findings.length ? 1 : loaded.problems.length ? 2 : 0;
  }
  const s = args.scenario;
  if (!s.user.length) throw new CommandError('--user is required: a user principal name or a group of the manifest');
  if (!s.platform) throw new CommandError('--platform is required');
  const scenario: WhatIfScenario = { ...s, platform: s.platform, app: s.app ?? 'All', clientApp: s.clientApp ?? 'browser' };
  const errors = validateScenario(loaded.view, scenario);
  if (errors.length) throw new CommandError(errors.join('; '));
  const result = evaluate(loaded.view, scenario);
  io.stdout((args.format === 'json' ? JSON.stringify(whatIfJson(result, rel), null, 2) : escapeLines(whatIfText(result, rel))) + '\n');
  return loaded.problems.length ? 2 : 0;
}

/** Text output line by line, with the controls inside each line (from file and policy names) escaped. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}
