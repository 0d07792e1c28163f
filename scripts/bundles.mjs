// The three bundles and their esbuild options, shared by scripts/build.mjs (which writes them) and
// scripts/third-party-notices.mjs (which asks esbuild what goes into them).
import { readFile, writeFile } from 'node:fs/promises';

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

/**
 * A bundle's source stays in every isolate that runs it (the server and its read workers, the CLI and its workers).
 * V8 stores a string in one byte per character only when every character fits in one (Latin-1); a single `…` in a
 * comment that esbuild keeps (its `ascii` charset escapes strings, not comments) doubles the whole 4.6 MB source in
 * each isolate and slows its reading and parsing. So any character above U+00FF left in a bundle is written as a
 * `\uXXXX` escape: inside a comment it is only text, and anywhere else esbuild has already escaped it.
 */
const oneByteSource = {
  name: 'one-byte-source',
  setup(build) {
    build.onEnd(async (result) => {
      // Only a bundle written to disk (scripts/third-party-notices.mjs builds in memory, for the metafile alone).
      const file = build.initialOptions.outfile;
      if (result.errors.length || !file || build.initialOptions.write === false) return;
      const text = await readFile(file, 'utf8');
      if (!/[^\x00-\xff]/.test(text)) return;
      await writeFile(file, text.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
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
    plugins: [yamlDebugSwitchesOff, oneByteSource],
  };
}

/** The extension client (VS Code provides `vscode`), the language server, the command line. */
export const ENTRIES = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js' },
];
