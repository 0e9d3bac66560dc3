import * as os from 'node:os';

/** How long start-up waits for the ECS task metadata endpoint (it answers in milliseconds). */
const METADATA_TIMEOUT_MS = 2_000;

/**
 * This task's directory name on a volume every task mounts (the spool with NETSIDECAR_SPOOL_SHARED,
 * config-upload's change notice outbox): the ECS task ID,
 * read from the task metadata endpoint ECS gives every container (`ECS_CONTAINER_METADATA_URI_V4`,
 * `GET <uri>/task` → `TaskARN`), unique for ever; outside ECS, the host name (a container's ID
 * under Docker). Where the endpoint is set but does not answer, start-up fails: a name that another
 * task might use too would let two tasks share one directory.
 */
export async function spoolOwnerName(env: NodeJS.ProcessEnv = process.env, hostname: () => string = os.hostname): Promise<string> {
  const uri = env['ECS_CONTAINER_METADATA_URI_V4'];
  if (uri === undefined || uri === '') return safeName(hostname());
  const answer = await fetch(`${uri}/task`, { signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
  if (!answer.ok) throw new Error(`ECS task metadata answered ${answer.status}; a task directory on a shared volume needs the task ID`);
  const arn = ((await answer.json()) as { TaskARN?: unknown }).TaskARN;
  const id = typeof arn === 'string' ? arn.split('/').pop() : undefined;
  if (id === undefined || id === '') throw new Error('ECS task metadata has no TaskARN; a task directory on a shared volume needs the task ID');
  return safeName(id);
}

/** One safe path component (what the sink's TASK_NAME accepts). */
function safeName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128);
  if (safe === '') throw new Error(`no usable spool directory name in ${JSON.stringify(name)}`);
  return safe;
}
