import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Publish the fake accepted, as it came over the wire. */
export interface PublishRecord {
  topicArn: string;
  subject: string | null;
  message: string;
  /** The SigV4 credential scope's service (`sns`), from the Authorization header. */
  signedFor: string | null;
}

/** An answer to give instead of accepting: `status` and the AWS error `code` (e.g. 500 InternalError, 403 AuthorizationError). */
export interface SnsFault {
  status: number;
  code: string;
}

export interface FakeSns {
  /** `http://127.0.0.1:<port>`: the endpoint to give the SDK client. */
  readonly endpoint: string;
  /** Publishes accepted, in order. */
  readonly published: PublishRecord[];
  /** Every request's action and the answer's status, faults included. */
  readonly calls: { action: string | null; status: number }[];
  /** The next `count` Publish calls get `fault` instead. */
  failNext(count: number, fault: SnsFault): void;
  close(): Promise<void>;
}

/**
 * SNS over real HTTP on 127.0.0.1, the AWS Query protocol as the SDK speaks it: a form-encoded POST
 * (`Action=Publish&Version=2010-03-31&TopicArn=...&Message=...&Subject=...`) signed with SigV4,
 * answered with the `PublishResponse` XML, or an `ErrorResponse` (404 NotFound for a topic it does
 * not know, 400 for a Subject SNS would refuse, scripted faults). Only what the services use.
 */
export async function startFakeSns(options: { topics: readonly string[] }): Promise<FakeSns> {
  const topics = new Set(options.topics);
  const published: PublishRecord[] = [];
  const calls: { action: string | null; status: number }[] = [];
  const faults: SnsFault[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = form.get('Action');
      const answer = (status: number, body: string) => {
        calls.push({ action, status });
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).end(body);
      };
      const error = (status: number, code: string, message: string) =>
        answer(
          status,
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      const signedFor = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '')?.[1] ?? null;
      if (req.method !== 'POST' || signedFor === null) return error(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
      if (action !== 'Publish' || form.get('Version') !== '2010-03-31') return error(400, 'InvalidAction', `Could not find operation ${action ?? ''}`);
      const fault = faults.shift();
      if (fault) return error(fault.status, fault.code, 'scripted fault');
      const topicArn = form.get('TopicArn') ?? '';
      const message = form.get('Message');
      const subject = form.get('Subject');
      if (!topics.has(topicArn)) return error(404, 'NotFound', 'Topic does not exist');
      if (message === null || message === '') return error(400, 'InvalidParameter', 'Invalid parameter: Empty message');
      // SNS: a subject is ASCII text, no line break, up to 100 characters.
      if (subject !== null && (subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject))) return error(400, 'InvalidParameter', 'Invalid parameter: Subject');
      if (Buffer.byteLength(message) > 256 * 1024) return error(400, 'InvalidParameter', 'Invalid parameter: Message too long');
      published.push({ topicArn, subject, message, signedFor });
      answer(
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    published,
    calls,
    failNext: (count, fault) => {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
