/**
 * Synthesizes the stack in-process. The local runtime reads the state machine definition and
 * the `subsidy:entry` metadata from it, and the infra tests assert on it; both skip bundling
 * (fast), while one infra test bundles for real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type Duration } from 'aws-cdk-lib';
import { repositoryRoot } from './subsidy-function.js';
import { SubsidyStack } from './subsidy-stack.js';

export const stackName = 'EmploymentSubsidy';

export interface SynthesizeOptions {
  /** Bundle every function with esbuild (slow); false skips bundling. Default false. */
  bundle?: boolean;
  longestWait?: Duration;
  /** Where the cloud assembly goes; a fresh temporary directory by default. */
  outdir?: string;
  /** Extra context, e.g. the bench's request for esbuild metafiles, or `issuer`/`audience`. */
  context?: Record<string, unknown>;
  /** A region to synthesize for (e.g. `cn-north-1`); env-agnostic when absent. */
  region?: string;
  /** Called with the app before synthesis: the infra tests add cdk-nag's rule pack as a validation plugin. */
  configure?: (app: App) => void;
}

/** The feature flags `cdk synth` applies from cdk.json, so both produce the same template. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** The stack's CloudFormation template, env-agnostic (region and account stay pseudo parameters). */
export function synthesizeTemplate(options: SynthesizeOptions = {}): Record<string, unknown> {
  const outdir = options.outdir ?? mkdtempSync(path.join(tmpdir(), 'subsidy-cdk-'));
  const app = new App({
    outdir,
    // An empty list of stacks to bundle: assets get placeholder hashes and esbuild never runs.
    context: { ...cdkJsonContext(), ...options.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new SubsidyStack(app, stackName, {
    longestWait: options.longestWait,
    ...(options.region ? { env: { region: options.region } } : {}),
  });
  options.configure?.(app);
  try {
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    // A directory the caller did not ask for is ours to remove; the template is already in memory.
    if (!options.outdir) rmSync(outdir, { recursive: true, force: true });
  }
}
