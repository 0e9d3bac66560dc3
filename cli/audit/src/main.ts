import { parseCommandLine, usage } from './args.js';
import { evidenceCommand } from './commands/evidence.js';
import { logsCommand } from './commands/logs.js';
import { recordCommand } from './commands/record.js';
import { silenceCommand } from './commands/silence.js';
import { verifyCommand } from './commands/verify.js';
import { createContext, type Context, type MainIo } from './context.js';
import { AuditError, isAuditError } from './errors.js';

const commands: Record<string, (ctx: Context) => Promise<number>> = {
  logs: logsCommand,
  evidence: evidenceCommand,
  silence: silenceCommand,
  verify: verifyCommand,
  record: recordCommand,
};

/**
 * The CLI as a function: returns the exit code, writes errors as one line `netsidecar-audit: CODE:
 * message` on stderr. Tests call it in-process with their own streams, clock and client.
 */
export async function main(io: MainIo): Promise<number> {
  let ctx: Context | undefined;
  try {
    const args = parseCommandLine(io.argv);
    if (args.values.help || args.command === undefined || args.command === 'help') {
      io.stdout.write(usage);
      return args.command === undefined && !args.values.help ? 2 : 0;
    }
    const run = commands[args.command];
    if (run === undefined) throw new AuditError('AUDIT_USAGE', `unknown command '${args.command}' (${Object.keys(commands).join(', ')})`);
    ctx = await createContext(io, args);
    return await run(ctx);
  } catch (err) {
    ctx?.progress.done();
    if (isAuditError(err)) {
      // One line whatever the message holds (an AWS error's text may span several).
      io.stderr.write(`netsidecar-audit: ${err.code}: ${err.message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
      return err.exitCode;
    }
    io.stderr.write(`netsidecar-audit: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  } finally {
    await ctx?.source.close();
  }
}
