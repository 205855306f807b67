/**
 * Child processes started in a process group of their own (`detached: true`), so that one signal
 * reaches the process and everything under it, as Ctrl-C in a terminal does.
 */
import type { ChildProcess } from 'node:child_process';

const groupOf = (child: ChildProcess) => -(child.pid as number);

/** Whether any process of the child's group is still running. */
export function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(groupOf(child), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to the child's whole group and resolves once every process in it has ended;
 * fails if one outlives `timeoutMs`.
 */
export async function signalGroup(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
  if (!groupAlive(child)) return;
  process.kill(groupOf(child), signal);
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(child)) {
    if (Date.now() > deadline) throw new Error(`process group ${child.pid} outlived ${signal} by ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
}
