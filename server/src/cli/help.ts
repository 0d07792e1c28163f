/** `ztp --help`: every command in one screen (also `ztp check --help`). */
import { maxFileSizeHelp } from './args';
import { VERSION } from './meta';

export const HELP = `ztp ${VERSION} — check Intune and Entra Zero Trust policies as code, offline

Usage:
  ztp check [paths…] [options]   check tenant folders and policy files (default: the current folder)
  ztp whatif <tenant> …          offline Conditional Access What If; --lockout checks no account is locked out
  ztp diff <base> <head>         what a change does to findings, layers and sign-ins; --base <ref> compares with git
  ztp rules [--format text|json|md]   the rule catalogue, with sources and the Maester, ZTA and CISA checks each matches
  ztp report <tenant> …          the tenant's Zero Trust report (seven layers, findings by team), md or html
  ztp import <export> --out <tenant>   Graph exports (JSON, UTF-16 too) → policy files and zerotrust.yaml groups
  ztp export <tenant> --out <folder>   policy files → Graph request bodies, endpoints and assign calls
  ztp lsp --stdio                start the language server (for any LSP editor)
  ztp --help | --version

Options for check:
  --format text|json|sarif       output format (default: text)
  --fix                          apply the safe quick fixes, print what changed, then check again
  --no-color                     plain text even on a terminal (NO_COLOR is honoured too)
  --rule <id>=<severity|off>     change a rule's severity for this run (repeatable)
  ${maxFileSizeHelp(31)}
                                 (whatif, report and diff take it too)
  --jobs <n>                     threads to check with (default: one per core, at most 8; ZTP_JOBS too); tenants
                                 are shared out, and the output is the same whatever the number
  --settings-catalog <file>      settings catalog definitions to check against instead of the shipped index: Graph's
                                 /beta/deviceManagement/configurationSettings output, or an index (docs/settings-catalog.md)

Exit status: 0 no errors, 1 errors found, 2 a usage or I/O problem (a path with no tenant folder or policy file
under it is one, and so is a folder the scan skips: a dot-folder, node_modules, a symbolic link). A tenant folder is
any folder with a zerotrust.yaml; symbolic links are not followed. Docs for each rule: docs/rules/<id>.md.`;
