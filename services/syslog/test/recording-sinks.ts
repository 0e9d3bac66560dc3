// Sinks that keep what they are given, for tests of the parse pool and the TCP listener.
import type { DrainReport, EncodedLines, Sink, SinkEvent, WriteOutcome } from '@netsidecar/sink';

/** Takes every event as a string (the path the CloudWatch sink gets). */
export class RecordingSink implements Sink {
  readonly kind = 'file' as const;
  readonly events: SinkEvent[] = [];
  readonly durableOnWrite = false;
  write(event: SinkEvent): WriteOutcome {
    this.events.push(event);
    return 'ok';
  }
  writeGroup(events: readonly SinkEvent[]): WriteOutcome {
    let outcome: WriteOutcome = 'ok';
    for (const event of events) outcome = this.write(event);
    return outcome;
  }
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<DrainReport> {
    return Promise.resolve({ delivered: this.events.length, pending: 0, pendingSpooled: false });
  }
  refusalReason(): string | null {
    return null;
  }

  queuedEvents(): number {
    return 0;
  }
}

/** A sink that writes lines of bytes, as the file sink does: the workers encode each event's line for it. */
export class LineRecordingSink extends RecordingSink {
  /** Every event's line, its bytes copied (the view's buffer is the batch's, which a real sink holds until it has written it). */
  readonly lines: Buffer[] = [];
  writeLines(encoded: EncodedLines): WriteOutcome {
    const bytes = Buffer.from(encoded.lines);
    const before = this.lines.length;
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
      this.lines.push(bytes.subarray(start, end + 1));
      this.events.push({ logGroup: encoded.logGroup, logStream: encoded.logStream, timestamp: 0, message: bytes.toString('utf8', start, end) });
      start = end + 1;
    }
    const taken = this.lines.length - before;
    if (start !== bytes.length || taken !== encoded.events) throw new Error(`${encoded.events} events announced, ${taken} whole lines given`);
    return 'ok';
  }
}
