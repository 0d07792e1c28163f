/**
 * The heap the core retains once a workspace is loaded and analysed (after a full GC), as against the RSS.
 *   node --expose-gc --import tsx bench/heap.ts <workspace>
 */
import { createPolicyService } from '../server/src/core/service';
import { nodeFileSystem } from '../server/src/host/node-fs';
(async () => {
  const s = createPolicyService({ fs: nodeFileSystem });
  const files = await s.discover(process.argv[2]!);
  for (const f of files) await s.load(f);
  (global as any).gc();
  const m1 = process.memoryUsage();
  console.log('after load: heapUsed', (m1.heapUsed / 1048576).toFixed(0), 'MB rss', (m1.rss / 1048576).toFixed(0));
  s.analyzeAll();
  (global as any).gc();
  const m2 = process.memoryUsage();
  console.log('after analyze: heapUsed', (m2.heapUsed / 1048576).toFixed(0), 'MB rss', (m2.rss / 1048576).toFixed(0));
})();
