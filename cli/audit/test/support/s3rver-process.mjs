// s3rver in a process of its own, run with --openssl-legacy-provider: s3rver makes ListObjectsV2
// continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider only, and the test
// process should not have that switched on. Prints {"port": N} once listening; stops on SIGTERM.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
