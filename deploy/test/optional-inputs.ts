// What the optional inputs intendedConfigs and eksClusters put into a synthesized template, read the
// same way for the example (both on: stack.test.ts) and the minimal inputs (both off: config.test.ts).
import { resourcesOfType, type Synthesized } from './support.js';

type Props = Record<string, any>;

/** An intrinsic as the deployed string (partition `aws`), or null when it holds anything else. */
export function rendered(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const v = value as Props;
  if (v?.Ref === 'AWS::Partition') return 'aws';
  if (Array.isArray(v?.['Fn::Join'])) {
    const parts = (v['Fn::Join'][1] as unknown[]).map(rendered);
    return parts.every((p) => p !== null) ? parts.join(v['Fn::Join'][0]) : null;
  }
  return null;
}

export interface Statement {
  policy: string;
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Props;
}

/** Every statement of every policy whose logical ID starts with `prefix` (e.g. `ConfigTask`). */
export function statementsOf(json: Synthesized['json'], prefix: string): Statement[] {
  return resourcesOfType(json, 'AWS::IAM::Policy')
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([id, p]) => ((p as Props).PolicyDocument.Statement as Props[]).map((s) => ({ policy: id, ...s }) as Statement));
}

export function taskDefinition(json: Synthesized['json'], family: string): Props {
  return resourcesOfType(json, 'AWS::ECS::TaskDefinition').find(([, td]) => td.Family === family)![1];
}

export function container(td: Props, name: string): Props | undefined {
  return (td.ContainerDefinitions as Props[]).find((c) => c.Name === name);
}

export function environmentOf(c: Props): Record<string, unknown> {
  return Object.fromEntries(((c.Environment ?? []) as Props[]).map((e) => [e.Name, e.Value]));
}
