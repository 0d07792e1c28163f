/**
 * Start the server on a workspace and print its time to first diagnostics, to full analysis, and its peak RSS.
 *   npx tsx bench/rss.ts <workspace> (NODE_FLAGS="--flag …" to try V8 flags)
 */
import { BenchClient, waitFor } from './lsp-driver';
(async () => {
  const c = BenchClient.start(process.execPath, [...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []), __dirname + '/../dist/server.js', '--stdio']);
  const t0 = await c.initialize(process.argv[2]!);
  await waitFor('the initial analysis', () => c.progressEndAt > 0, 120000);
  console.log('full', Math.round(c.progressEndAt - t0), 'ms; first', Math.round(c.firstPublishAt - t0), 'ms; peak RSS', c.peakRssMb().toFixed(0), 'MB');
  await c.stop();
})();
