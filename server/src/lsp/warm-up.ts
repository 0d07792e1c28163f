/**
 * The edit path, warmed on this thread while the editor is idle after the first scan.
 *
 * The read workers parse every file and analyse every tenant at start-up, so the server's own thread has run little
 * of that code when the first edit comes: `yaml`, the facts and most rules run there for the first time, in V8's
 * interpreter, and tier up over the edits that follow. On `msp`, edits 1–50 took twice as long at the median as edits
 * 151–200, and a tenant's first edits made after 200 others were about as fast as its later ones (so the cost is the
 * thread's, not the tenant's).
 *
 * So, once the scan is done, this thread makes edits of the same kind to a copy of one tenant (the one with a file
 * open, else the first), in a scratch store of its own, a step at a time, each step only once no message has been
 * handled for `QUIET_MS` (lsp/quiet.ts). The copy is made as the workers' facts are (a structured clone of their plain
 * form), so the rules see objects shaped as the live store's. Each step also runs the publishing path (a `Publisher`
 * over the copy makes, compares and encodes the diagnostics), into a sink that sends nothing (`rehearsalSink`). It
 * reads no file, publishes nothing, and only reads the live store. An edit that comes meanwhile waits for one step at
 * most: about a millisecond, or, once, the copy's first analysis (tens of ms).
 *
 * Why so many steps: V8 optimises a function on its worker threads once the function has run enough, and a hot path
 * is not fully optimised after 200 edits. During the bench's 200 edits after a 200-step warm-up, the server's V8
 * threads used about as much CPU as its own thread (about 280 against 220 ms), and on two cores that delayed the
 * client too; after 2,000 earlier edits they used about 60 ms. See bench/README.md.
 */
import { factsFromPlain, isManifestPath, plainFacts, releaseSyntaxTree, type PolicyService } from '../core/index';
import type { DiagnosticsSink } from './publish';
import { QUIET_MS, untilQuiet } from './quiet';

/** What the warm-up publishes with: a publisher over the scratch store that sends nothing (`rehearsalSink`). */
export interface Rehearsal {
  publish(roots: (string | undefined)[], edited?: string): void;
}

/**
 * A sink for a publisher that rehearses: each message is encoded as the transport encodes it (JSON), then dropped.
 * Nothing reaches the client.
 */
export const rehearsalSink: DiagnosticsSink = {
  sendDiagnostics: (params) => {
    JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params });
    return Promise.resolve();
  },
  sendNotification: () => Promise.resolve(),
};

/** The most files copied: enough for the tenant's rules to run over realistic lists, bounded for very large tenants. */
export const WARM_UP_FILES = 150;
/** Edits made to the copy: about 1–2 s of an idle thread on `msp`'s tenants (bench/README.md has the measurements). */
export const WARM_UP_EDITS = 1000;

export interface WarmUpOptions {
  /** The live store: facts are copied from it, never changed. */
  service: PolicyService;
  /** A new, empty store configured as the live one. */
  scratch: () => PolicyService;
  /**
   * A publisher over the scratch store that sends nothing (`rehearsalSink`): each step then runs the publishing path
   * too (diagnostics made, compared and encoded), as an edit does. Without it, each step only analyses.
   */
  rehearsal?: (scratch: PolicyService) => Rehearsal;
  /** When a message was last handled (`performance.now()`). */
  lastActivity: () => number;
  edits?: number;
  idleMs?: number;
}

/**
 * A text the rules read differently, as an author's edits make them: the policy renamed (`rename`), or a setting gone
 * (`drop`: the last line of a YAML file, when it is indented, so inside `spec`). Failing those, one more line.
 */
export function editedText(text: string, how: 'rename' | 'drop' = 'rename'): string {
  if (how === 'drop') {
    const dropped = text.replace(/\n[ \t]+[^\n]*\n?$/, '\n');
    if (dropped !== text && !text.trimStart().startsWith('{')) return dropped;
  }
  const yaml = text.replace(/^(name:[ \t]*)(["']?)([^\s#"'][^\n#"']*?)\2([ \t]*(?:#.*)?)$/m, '$1$2$3-warm$2$4');
  if (yaml !== text) return yaml;
  const json = text.replace(/("name"\s*:\s*")/, '$1warm-');
  return json !== text ? json : `${text}\n`;
}

/**
 * The files copied: the tenant's manifest, the files given first (those open), then one of each kind in turn, up to
 * `WARM_UP_FILES`.
 */
export function warmUpFiles(service: PolicyService, root: string, preferred: readonly string[] = []): string[] {
  const files = service.filesOf(root).filter((p) => service.get(p));
  const mine = new Set(files);
  const out = new Set<string>([...files.filter(isManifestPath), ...preferred.filter((p) => mine.has(p))]);
  const byKind = new Map<string, string[]>();
  for (const p of files) {
    const facts = service.get(p)!;
    const kind = facts.type === 'policy' ? String(facts.kind) : facts.type;
    const list = byKind.get(kind);
    if (list) list.push(p);
    else byKind.set(kind, [p]);
  }
  const queues = [...byKind.values()];
  for (let i = 0; out.size < Math.min(WARM_UP_FILES, files.length); i++) {
    for (const q of queues) if (i < q.length && out.size < WARM_UP_FILES) out.add(q[i]!);
  }
  return [...out];
}

/**
 * Warm the edit path on a copy of `files` of `root` (see the file's comment). Resolves with the number of steps
 * taken; never rejects (a failure only ends the warm-up: the live store's analysis reports what is wrong).
 */
export async function warmUp(root: string, files: readonly string[], options: WarmUpOptions): Promise<number> {
  const idleMs = options.idleMs ?? QUIET_MS;
  const edited = files.filter((p) => !isManifestPath(p) && options.service.get(p)?.parsed.text);
  if (!edited.length) return 0;
  let scratch: PolicyService | undefined;
  let rehearsal: Rehearsal | undefined;
  let version = 1;
  // The tenant analysed (and, rehearsing, every file of the copy published), then again after each edit.
  const analyse = (store: PolicyService, changed?: string): void => {
    if (options.rehearsal) (rehearsal ??= options.rehearsal(store)).publish([root], changed);
    else store.findings(root);
  };
  const work: ((store: PolicyService) => void)[] = [
    ...files.map((p) => (store: PolicyService) => {
      const facts = options.service.get(p);
      if (facts) store.adopt(factsFromPlain(structuredClone(plainFacts(facts))));
    }),
    (store) => analyse(store),
  ];
  const total = options.edits ?? WARM_UP_EDITS;
  for (let i = 0; i < total; i++) {
    // Each file in turn is changed, then put back: renamed, or a setting dropped (every other file, and round).
    const k = Math.floor(i / 2);
    const path = edited[k % edited.length]!;
    const how = (k + Math.floor(k / edited.length)) % 2 ? 'drop' : 'rename';
    const back = i % 2 === 1;
    work.push((store) => {
      const text = options.service.get(path)?.parsed.text ?? '';
      // The store lets the previous text's tree go (`PolicyStore.update`); the last one kept goes at the end.
      store.update(path, back ? text : editedText(text, how), version++);
      analyse(store, path);
    });
  }
  let steps = 0;
  try {
    for (const step of work) {
      await untilQuiet(() => options.lastActivity() + idleMs);
      step((scratch ??= options.scratch()));
      steps++;
    }
  } catch {
    // Only a warm-up.
  } finally {
    for (const p of files) {
      const parsed = scratch?.get(p)?.parsed;
      if (parsed) releaseSyntaxTree(parsed);
    }
  }
  return steps;
}
