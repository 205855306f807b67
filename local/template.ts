/**
 * Reads what the local runtime needs from the synthesized CloudFormation template: the
 * approval state machine's definition with its references resolved to local ARNs, and which
 * handler file backs each Lambda function (the stack tags each with `subsidy:entry`).
 */
export const localRegion = 'us-east-1';
export const localAccount = '000000000000';

type Template = {
  Resources?: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
};

export interface LocalWorkflowPlan {
  definition: { StartAt: string; States: Record<string, Record<string, unknown>> };
  /** Local Lambda ARN → handler file, relative to the repository root. */
  functionEntries: Map<string, string>;
}

export function localFunctionArn(logicalId: string): string {
  return `arn:aws:lambda:${localRegion}:${localAccount}:function:${logicalId}`;
}

function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [logicalId, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return localFunctionArn(logicalId);
  }
  if (typeof node.Ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': localRegion,
      'AWS::AccountId': localAccount,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const known = pseudo[node.Ref];
    if (known) return known;
  }
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(separator);
  }
  throw new Error(`the local runtime cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}

export function workflowPlanFrom(template: Template): LocalWorkflowPlan {
  const resources = Object.entries(template.Resources ?? {});
  const machines = resources.filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const definition = JSON.parse(
    resolve(machines[0]?.[1].Properties?.DefinitionString),
  ) as LocalWorkflowPlan['definition'];
  const functionEntries = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    const entry = resource.Metadata?.['subsidy:entry'];
    if (resource.Type === 'AWS::Lambda::Function' && typeof entry === 'string')
      functionEntries.set(localFunctionArn(logicalId), entry);
  }
  return { definition, functionEntries };
}
