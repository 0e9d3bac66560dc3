// A test file that runs itself again as a child process (a sink of its own, driven over stdin with
// one JSON command a line and answering `{"done":...}` lines), so a test can SIGKILL a real process.
// The child's environment is the standard AWS SDK one, aimed at the fake: how the services run.
import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import type { FakeCloudWatchLogs } from '@netsidecar/test-support';

export interface SinkChild {
  proc: ChildProcess;
  /** Sends one command and resolves with the child's next `{"done":...}` answer. */
  ask: (command: object) => Promise<{ done: string; outcomes?: string[] }>;
  /** SIGKILLs the child and resolves once it has exited. */
  kill: () => Promise<void>;
}

/** Starts `file` (the calling test file) as a child with `SINK_TEST_CHILD_DATA_DIR=dataDir`, killed at teardown. */
export function startSinkChild(t: Test, file: string, fake: FakeCloudWatchLogs, dataDir: string): SinkChild {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const proc = spawn(process.execPath, [...process.execArgv, file], {
    env: {
      ...env,
      SINK_TEST_CHILD_DATA_DIR: dataDir,
      // The standard SDK environment, nothing of our own: this is how the services are configured.
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDSINKCHILD0000000',
      AWS_SECRET_ACCESS_KEY: 'child-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const kill = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  };
  t.teardown(kill);
  const replies = readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const ask = async (command: object) => {
    proc.stdin.write(JSON.stringify(command) + '\n');
    for (;;) {
      const next = await replies.next();
      if (next.done) throw new Error(`child ended: ${stderr}`);
      if (next.value.startsWith('{"done"')) return JSON.parse(next.value) as { done: string; outcomes?: string[] };
    }
  };
  return { proc, ask, kill };
}
