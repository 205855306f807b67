/**
 * The local stack is closed: DynamoDB Local listens on 127.0.0.1 only, lets browsers in from its
 * own origin only, and its JVM ends with the process that started it, even a SIGKILLed one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { repositoryRoot } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';

/** The local addresses listening on `port`, from the kernel's socket tables (hex, as /proc shows them). */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // State 0A is LISTEN.
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
      .map((fields) => (fields[1] as string).split(':')[0] as string),
  );
}
const loopbackV4 = '0100007F';
const loopbackMappedV6 = '0000000000000000FFFF00000100007F';

/** Running: present and not a zombie (an ended child whose new parent has not reaped it yet). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('DynamoDB Local, closed', () => {
  let dynamo: DynamoDbLocal;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
  }, 180_000);
  afterAll(() => dynamo?.stop());

  it('listens on the loopback address only', () => {
    const addresses = listeners(dynamo.port);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect([loopbackV4, loopbackMappedV6]).toContain(address);
  });

  it('lets no other origin in from a browser', async () => {
    const preflight = await fetch(dynamo.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    const allowed = preflight.headers.get('access-control-allow-origin');
    expect(allowed === null || allowed === `http://127.0.0.1:${dynamo.port}`).toBe(true);
    expect(allowed).not.toBe('*');
  });
});

describe('no JVM outlives its parent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-parent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends DynamoDB Local when the process that started it is SIGKILLed', async () => {
    const script = join(dir, 'parent.mts');
    writeFileSync(
      script,
      `import { startDynamoDbLocal } from ${JSON.stringify(join(repositoryRoot, 'local', 'dynamodb-local.ts'))};\n` +
        'const dynamo = await startDynamoDbLocal();\n' +
        "console.log('jvm ' + dynamo.pid);\n" +
        'setInterval(() => {}, 1000);\n',
    );
    // Node itself with tsx's loader (the tsx command would run Node as its child, which a kill of it leaves running).
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const jvm = await new Promise<number>((found, failed) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /jvm (\d+)/.exec(out);
        if (match) found(Number(match[1]));
      });
      parent.once('exit', (code) => failed(new Error(`the parent exited first (${code})`)));
    });
    expect(alive(jvm)).toBe(true);

    parent.kill('SIGKILL');

    await eventually('the JVM to end with its parent', () => !alive(jvm));
  }, 240_000);
});
