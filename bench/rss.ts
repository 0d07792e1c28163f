import { BenchClient, waitFor } from './lsp-driver';
(async () => {
  const c = BenchClient.start(process.execPath, [...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []), __dirname + '/../dist/server.js', '--stdio']);
  const t0 = await c.initialize(process.argv[2]!);
  await waitFor('x', () => c.progressEndAt > 0, 120000);
  console.log('full', Math.round(c.progressEndAt - t0), 'ms; first', Math.round(c.firstPublishAt - t0), 'ms; peak RSS', c.peakRssMb().toFixed(0), 'MB');
  await c.stop();
})();
