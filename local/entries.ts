/**
 * Where the product's code is on this machine: the repository, and a handler imported by the
 * entry path the synthesized template names (`subsidy:entry`), so the local stack runs the very
 * handlers Lambda runs.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asFunction } from './local-iam.js';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function importHandler<T>(entry: string): Promise<T> {
  const module = (await import(pathToFileURL(join(repositoryRoot, entry)).href)) as { handler?: T };
  if (!module.handler) throw new Error(`${entry} exports no handler`);
  // Run as its function: the table calls it makes are judged by that function's grants (local-iam.ts).
  return asFunction(entry, module.handler);
}

/** The handler of a function the template deploys; refused when the template has none for its entry. */
export async function importDeployed<T>(deployed: ReadonlySet<string>, entry: string): Promise<T> {
  if (!deployed.has(entry)) throw new Error(`the template has no function for ${entry}`);
  return importHandler<T>(entry);
}
