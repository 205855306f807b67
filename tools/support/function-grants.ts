/**
 * Every product function of a synthesized template with what its role may do: the set the
 * capability-module layout must keep (tests/infra/functions-and-grants.test.ts). A function is
 * named by its logical id, a grant by its actions and the logical ids its resources refer to, so
 * moving a handler's file (its entry path, its asset hash) changes nothing here.
 */
type Resource = { Type: string; Properties?: Record<string, unknown> };

export interface FunctionGrants {
  [functionId: string]: { handler: string; grants: string[] };
}

const refIds = (value: unknown): string[] => {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? [value.replace(/\d{12}|[0-9a-f]{64}/g, '…')] : [];
  if (Array.isArray(value)) return value.flatMap(refIds);
  const record = value as Record<string, unknown>;
  if ('Ref' in record) return [`Ref:${String(record.Ref)}`];
  if ('Fn::GetAtt' in record) return [`GetAtt:${(record['Fn::GetAtt'] as string[]).join('.')}`];
  return Object.entries(record).flatMap(([key, inner]) =>
    key.startsWith('Fn::') ? refIds(inner) : [key, ...refIds(inner)],
  );
};

const roleId = (role: unknown): string | undefined => {
  const getAtt = (role as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[0];
};

export function functionGrants(template: Record<string, unknown>): FunctionGrants {
  const resources = template.Resources as Record<string, Resource>;
  const statementsOfRole = new Map<string, string[]>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const props = resource.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: unknown[] } };
    for (const role of props.Roles) {
      const list = statementsOfRole.get(role.Ref) ?? [];
      for (const statement of props.PolicyDocument.Statement as {
        Action: string | string[];
        Resource: unknown;
        Effect: string;
      }[]) {
        const actions = [statement.Action].flat().sort().join(',');
        list.push(`${statement.Effect} ${actions} on ${[...new Set(refIds(statement.Resource))].sort().join(' ')}`);
      }
      statementsOfRole.set(role.Ref, list);
    }
  }
  const result: FunctionGrants = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function' || id.startsWith('CustomCDKBucketDeployment')) continue;
    const props = resource.Properties as { Role: unknown; Handler: string };
    const role = roleId(props.Role);
    result[id] = { handler: props.Handler, grants: [...(role ? (statementsOfRole.get(role) ?? []) : [])].sort() };
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}
