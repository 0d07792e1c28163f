// The three bundles and their esbuild options, shared by scripts/build.mjs (which writes them) and
// scripts/third-party-notices.mjs (which asks esbuild what goes into them).

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
  };
}

/** The extension client (VS Code provides `vscode`), the language server, the command line. */
export const ENTRIES = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js' },
];
