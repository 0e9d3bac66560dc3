import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * dynalite (DynamoDB on an in-memory LevelDB) on 127.0.0.1:0, with the two tables of README.md
 * created as the CDK stack creates them.
 */
export async function startDynamo(t: { teardown(fn: () => unknown): void }) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  t.teardown(() => {
    client.destroy();
    server.closeAllConnections?.();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const imagesTable = 'netsidecar-scan-images';
  const findingsTable = 'netsidecar-scan-findings';
  await client.send(
    new CreateTableCommand({
      TableName: imagesTable,
      KeySchema: [{ AttributeName: 'digest', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'digest', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(
    new CreateTableCommand({
      TableName: findingsTable,
      KeySchema: [
        { AttributeName: 'digest', KeyType: 'HASH' },
        { AttributeName: 'fingerprint', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'digest', AttributeType: 'S' },
        { AttributeName: 'fingerprint', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return { client, imagesTable, findingsTable };
}
