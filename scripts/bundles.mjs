// The three bundles and their esbuild options, shared by scripts/build.mjs (which writes them) and
// scripts/third-party-notices.mjs (which asks esbuild what goes into them).
import { readFile } from 'node:fs/promises';

/**
 * `yaml` looks up `process.env.LOG_TOKENS` for every token its parser reads (and `LOG_STREAM` for every document):
 * switches for its authors' debug output. Each lookup in `process.env` asks the process environment afresh, and on a
 * small policy file they were a quarter of the parser's time. The bundles read them as off; nothing else changes.
 */
const yamlDebugSwitchesOff = {
  name: 'yaml-debug-switches-off',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!/\b(node_)?process\.env\.LOG_(TOKENS|STREAM)\b/.test(text)) return undefined;
      return { contents: text.replace(/\b(node_)?process\.env\.LOG_(TOKENS|STREAM)\b/g, 'false'), loader: 'js' };
    });
  },
};

/** Options every bundle shares; `production` minifies and drops the source maps. */
export function commonOptions(production) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    // The licence comments of bundled packages (`/*! … */`, `@license`, `@preserve`) go to the end of each bundle;
    // THIRD_PARTY_NOTICES.md carries every bundled package's licence in full.
    legalComments: 'eof',
    banner: { js: '/*! Intune Zero Trust Policies (MIT). Bundled third-party packages and their licences: THIRD_PARTY_NOTICES.md */' },
    plugins: [yamlDebugSwitchesOff],
  };
}

/** The extension client (VS Code provides `vscode`), the language server, the command line. */
export const ENTRIES = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js' },
];
