/**
 * The `run()` entry that @vscode/test-electron (and code-server's smoke-test driver) call inside the extension
 * host: runs the mocha suite and prints a plain `N passed, N failed` closing line.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  mocha.addFile(path.resolve(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      console.log(`e2e suite: ${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} real-editor test(s) failed`));
      else resolve();
    });
  });
}
