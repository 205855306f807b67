/**
 * Cold start per Lambda bundle, measured on the bundles `cdk synth` itself produces: the stack is
 * synthesized with bundling on (each `SubsidyFunction` bundled by esbuild with the construct's own
 * options, externals included), and each function's asset (`index.mjs`) is what is weighed and
 * loaded. Asking the synthesis for esbuild's metafile (a context flag; the bundle is the same
 * byte for byte) names what fills each bundle. A fresh Node process loads the bundle and answers
 * one invocation, several times; the median is kept: from the start of the probe script (Node's
 * own boot is not counted) to the handler's first answer. The runs go round the bundles in turn
 * (every bundle once, then again), so a burst of load from elsewhere on a shared machine spreads
 * over all bundles instead of landing on one bundle's every sample. Source maps are left out of
 * the size (they ship beside it).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleMetafileContextKey, entryMetadataKey } from '../infra/subsidy-function.js';
import { synthesizeTemplate } from '../infra/synthesize.js';
import { percentile } from './model.js';

export interface BundleFigures {
  entry: string;
  kilobytes: number;
  medianLoadAndInvokeMs: number;
  topContributors: { path: string; kilobytes: number }[];
  /** Why the probe could not load the bundle, when it could not (the budget then fails). */
  loadError?: string;
}

/** The budget every bundle must hold (issue 6). */
export const bundleBudget = { kilobytes: 400, medianLoadAndInvokeMs: 120 } as const;

export const holdsBundleBudget = (bundle: BundleFigures) =>
  bundle.kilobytes <= bundleBudget.kilobytes && bundle.medianLoadAndInvokeMs <= bundleBudget.medianLoadAndInvokeMs;

/** Bytes per package (node_modules/<name> or <@scope/name>) or per own folder, from esbuild's metafile. */
export function contributors(metafile: Metafile, outputFile: string, top = 5): { path: string; kilobytes: number }[] {
  const inputs = metafile.outputs[outputFile]?.inputs ?? {};
  const byOwner = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match ? match[1]! : path.split('/').slice(0, 2).join('/');
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
  }
  return [...byOwner.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([path, bytes]) => ({ path, kilobytes: bytes / 1024 }));
}

/** One fresh process: import the bundle, call its handler once with a minimal event, print the elapsed ms. */
const probe = `
const started = performance.now();
let handler;
try {
  ({ handler } = await import(process.argv[2]));
} catch (error) {
  process.stderr.write('load failed: ' + (error && error.message));
  process.exit(1);
}
try { await handler({ headers: {}, requestContext: { http: { method: 'GET', path: '/' } } }, { functionName: 'bench', getRemainingTimeInMillis: () => 10000 }); } catch {}
process.stdout.write(String(performance.now() - started));
process.exit(0);
`;

interface TemplateFunction {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: { Code?: { S3Key?: unknown } };
}

/** Each function's handler file and the directory of its bundled asset in the cloud assembly. */
function bundledFunctions(template: Record<string, unknown>, outdir: string): { entry: string; assetDir: string }[] {
  const resources = Object.values((template.Resources ?? {}) as Record<string, TemplateFunction>);
  return resources
    .filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' && typeof resource.Metadata?.[entryMetadataKey] === 'string',
    )
    .map((resource) => {
      const s3Key = resource.Properties?.Code?.S3Key;
      if (typeof s3Key !== 'string' || !/^[0-9a-f]{64}\.zip$/.test(s3Key))
        throw new Error(`function ${String(resource.Metadata?.[entryMetadataKey])} has no bundled asset`);
      return {
        entry: resource.Metadata?.[entryMetadataKey] as string,
        assetDir: join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`),
      };
    })
    .sort((a, b) => a.entry.localeCompare(b.entry));
}

const probeEnvironment = {
  AWS_REGION: 'us-east-1',
  // As on Lambda: the role's credentials are in the environment, so the chain stops at its first link.
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  // Nothing listens here: a handler that reaches for AWS fails at once, after one attempt.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_MAX_ATTEMPTS: '1',
  TABLE_NAME: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
  RESIDENT_ID_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-resident-id-key',
  WEBHOOK_SECRET_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-webhook-secret-key',
};

/** Synthesizes the stack with bundling, then weighs and times every function's bundle. */
export async function measureColdStarts(runs = 7): Promise<BundleFigures[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const probeFile = join(outdir, 'probe.mjs');
  writeFileSync(probeFile, probe);
  try {
    const template = synthesizeTemplate({ bundle: true, outdir, context: { [bundleMetafileContextKey]: true } });
    const bundles = bundledFunctions(template, outdir).map(({ entry, assetDir }) => ({
      entry,
      file: join(assetDir, 'index.mjs'),
      metafile: JSON.parse(readFileSync(join(assetDir, 'index.meta.json'), 'utf8')) as Metafile,
      samples: [] as number[],
      loadError: undefined as string | undefined,
    }));
    for (let run = 0; run < runs; run++) {
      for (const bundle of bundles) {
        const answer = spawnSync(process.execPath, [probeFile, bundle.file], {
          encoding: 'utf8',
          timeout: 30_000,
          env: { PATH: process.env.PATH, ...probeEnvironment },
        });
        const ms = Number(answer.stdout.trim().split('\n').pop());
        if (answer.status === 0 && answer.stdout.trim() !== '' && Number.isFinite(ms)) bundle.samples.push(ms);
        else bundle.loadError ??= answer.stderr.trim().split('\n')[0] || `exit ${answer.status ?? answer.signal}`;
      }
    }
    return bundles.map((bundle) => {
      const outputFile = Object.keys(bundle.metafile.outputs).find((path) => path.endsWith('.mjs'));
      return {
        entry: bundle.entry,
        kilobytes: statSync(bundle.file).size / 1024,
        medianLoadAndInvokeMs: percentile(bundle.samples, 50),
        topContributors: outputFile ? contributors(bundle.metafile, outputFile) : [],
        ...(bundle.loadError ? { loadError: bundle.loadError } : {}),
      };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
