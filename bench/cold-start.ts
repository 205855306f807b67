/**
 * Cold start per Lambda bundle: every function the synthesized stack declares is bundled as
 * `SubsidyFunction` bundles it (esbuild, ESM, minified, node22, AWS SDK included, the
 * createRequire banner), then a fresh Node process loads the bundle and answers one invocation,
 * several times; the median is kept: from the start of the probe script (Node's own boot is not
 * counted) to the handler's first answer. Source maps are left out of the size (they ship beside it).
 */
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './model.js';

const banner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface BundleFigures {
  entry: string;
  kilobytes: number;
  medianLoadAndInvokeMs: number;
  topContributors: { path: string; kilobytes: number }[];
}

/** Bytes per package (node_modules/<name> or <@scope/name>) or per own folder, from esbuild's metafile. */
function contributors(metafile: Metafile, outputFile: string): { path: string; kilobytes: number }[] {
  const inputs = metafile.outputs[outputFile]?.inputs ?? {};
  const byOwner = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match ? match[1]! : path.split('/').slice(0, 2).join('/');
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
  }
  return [...byOwner.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([path, bytes]) => ({ path, kilobytes: bytes / 1024 }));
}

/** One fresh process: import the bundle, call its handler once with a minimal event, print the elapsed ms. */
const probe = `
const started = performance.now();
const { handler } = await import(process.argv[2]);
try { await handler({ headers: {}, requestContext: { http: { method: 'GET', path: '/' } } }, { functionName: 'bench', getRemainingTimeInMillis: () => 10000 }); } catch {}
process.stdout.write(String(performance.now() - started));
process.exit(0);
`;

export async function measureColdStarts(root: string, entries: readonly string[], runs = 5): Promise<BundleFigures[]> {
  const out = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  const probeFile = join(out, 'probe.mjs');
  writeFileSync(probeFile, probe);
  const figures: BundleFigures[] = [];
  try {
    for (const entry of entries) {
      const outfile = join(out, entry.replace(/[/.]/g, '_') + '.mjs');
      const result = await build({
        entryPoints: [join(root, entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        minify: true,
        mainFields: ['module', 'main'],
        banner: { js: banner },
        metafile: true,
        logLevel: 'error',
      });
      const samples: number[] = [];
      for (let run = 0; run < runs; run++) {
        const answer = spawnSync(process.execPath, [probeFile, outfile], {
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'bench',
            AWS_SECRET_ACCESS_KEY: 'bench',
            // Nothing listens here: a handler that reaches for AWS fails at once, after one attempt.
            AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
            AWS_MAX_ATTEMPTS: '1',
            TABLE_NAME: 'bench',
            STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
            RESIDENT_ID_KEY: 'b'.repeat(43),
            WEBHOOK_SECRET_KEY: 'b'.repeat(43),
          },
        });
        const ms = Number(answer.stdout.trim().split('\n').pop());
        if (Number.isFinite(ms)) samples.push(ms);
      }
      figures.push({
        entry,
        kilobytes: statSync(outfile).size / 1024,
        medianLoadAndInvokeMs: percentile(samples, 50),
        topContributors: contributors(result.metafile, Object.keys(result.metafile.outputs).find((path) => path.endsWith('.mjs'))!),
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return figures;
}
