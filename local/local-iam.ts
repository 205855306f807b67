/**
 * The table rights of the template, enforced on this machine. On AWS each function's role lets it
 * call only the DynamoDB actions, on only the indexes, its manifest declares (`needs.table`);
 * locally every handler runs in one process with one client, so without this a handler that
 * started to Scan, or to query an index it was never granted, would pass every local test and fail
 * (AccessDenied) only once deployed. Each handler runs inside its function's name
 * (`asFunction`), and a middleware on the handlers' table client refuses a call the template
 * does not grant that function, as IAM would. Calls made outside any handler (the local runtime's
 * own seeding and reading) are not the product's and are let through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Per handler entry: the `Action resource` pairs its role allows (`GetItem table`, `Query index/inbox`). */
export type TableGrants = ReadonlyMap<string, ReadonlySet<string>>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface Resource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: {
    PolicyDocument?: { Statement: Statement[] };
    Roles?: { Ref: string }[];
    Role?: { 'Fn::GetAtt'?: string[] };
  };
}
/** What of a DynamoDB call's input decides the rights it needs. */
type CallInput = { IndexName?: string; TransactItems?: Record<string, unknown>[] };

/** The table rights of every function of the template that names its handler (`subsidy:entry`). */
export function tableGrantsOf(template: Record<string, unknown>, entryKey = 'subsidy:entry'): TableGrants {
  const resources = template.Resources as Record<string, Resource>;
  const tableIds = Object.keys(resources).filter((id) => resources[id]?.Type === 'AWS::DynamoDB::Table');
  const byRole = new Map<string, Set<string>>();
  for (const policy of Object.values(resources)) {
    if (policy.Type !== 'AWS::IAM::Policy') continue;
    const pairs = new Set<string>();
    for (const statement of policy.Properties?.PolicyDocument?.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      const actions = [statement.Action].flat().filter((a) => a.startsWith('dynamodb:'));
      for (const resource of [statement.Resource].flat()) {
        const text = JSON.stringify(resource);
        const index = text.match(/\/index\/([A-Za-z0-9_.-]+)/)?.[1];
        const onTable = tableIds.some((id) => text === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }));
        const where = index ? `index/${index}` : onTable ? 'table' : undefined;
        if (where) for (const action of actions) pairs.add(`${action.slice('dynamodb:'.length)} ${where}`);
      }
    }
    for (const role of policy.Properties?.Roles ?? []) {
      const granted = byRole.get(role.Ref) ?? new Set<string>();
      for (const pair of pairs) granted.add(pair);
      byRole.set(role.Ref, granted);
    }
  }
  const grants = new Map<string, Set<string>>();
  for (const fn of Object.values(resources)) {
    const entry = fn.Metadata?.[entryKey];
    if (fn.Type !== 'AWS::Lambda::Function' || typeof entry !== 'string') continue;
    const role = fn.Properties?.Role?.['Fn::GetAtt']?.[0];
    grants.set(entry, new Set(role ? byRole.get(role) : []));
  }
  return grants;
}

const running = new AsyncLocalStorage<string>();

/** The handler, run as the function of `entry`: its table calls are judged by that function's grants. */
export function asFunction<H>(entry: string, handler: H): H {
  if (typeof handler !== 'function') return handler;
  return ((...args: unknown[]) => running.run(entry, () => handler(...args))) as H;
}

/** The `Action resource` pairs IAM checks for one DynamoDB call. */
export function requiredRights(commandName: string, input: CallInput): string[] {
  const action = commandName.replace(/Command$/, '');
  const where = input.IndexName ? `index/${input.IndexName}` : 'table';
  if (action === 'TransactWriteItems')
    return (input.TransactItems ?? []).map((item) => {
      const [kind] = Object.keys(item);
      return `${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`} table`;
    });
  if (action === 'TransactGetItems') return ['GetItem table'];
  return [`${action} ${where}`];
}

/** Refused as IAM refuses: the SDK's AccessDeniedException, naming the function and the right. */
export class LocalAccessDenied extends Error {
  constructor(entry: string, right: string) {
    super(`${entry} is not granted dynamodb:${right.replace(' ', ' on ')} (its manifest's needs.table)`);
    this.name = 'AccessDeniedException';
  }
}

let grantsInForce: TableGrants = new Map();
const guarded = new WeakSet<DynamoDBClient>();

/**
 * Judges every call the handlers make through `client` by `grants` (the latest stack's template).
 * With LOCAL_IAM_RECORD=<file>, each function's calls are also written there, one line each.
 */
export function enforceTableGrants(client: DynamoDBClient, grants: TableGrants): void {
  grantsInForce = grants;
  if (guarded.has(client)) return;
  guarded.add(client);
  const record = process.env.LOCAL_IAM_RECORD;
  const recorded = new Set<string>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const entry = running.getStore();
      if (entry) {
        const granted = grantsInForce.get(entry);
        for (const right of requiredRights(String(context.commandName), args.input as CallInput)) {
          if (record && !recorded.has(`${entry} ${right}`)) {
            recorded.add(`${entry} ${right}`);
            appendFileSync(record, `${entry} ${right}\n`);
          }
          if (granted && !granted.has(right)) throw new LocalAccessDenied(entry, right);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'localTableGrants' },
  );
}
