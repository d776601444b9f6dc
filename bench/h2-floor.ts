// The floor of the h2load section: a bare Node HTTP/2 (h2c) server that reads each request's
// body and answers with a fixed /query/1 success response. It runs in its own process, like
// the server, so both are measured the same way. Usage: node h2-floor.js <port>; prints
// "listening <port>" once it accepts connections.
import http2 from 'node:http2';

const BODY = JSON.stringify({
  data: 2, static_type: 'Number', summary: '', txn_ts: 1_700_000_000_000_000, schema_version: 0,
  stats: {
    compute_ops: 1, read_ops: 0, write_ops: 0, query_time_ms: 0, contention_retries: 0,
    storage_bytes_read: 0, storage_bytes_write: 0, rate_limits_hit: [],
  },
});

const server = http2.createServer();
server.on('stream', (stream) => {
  stream.on('data', () => undefined);
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'content-type': 'application/json;charset=utf-8' });
    stream.end(BODY);
  });
  stream.on('error', () => undefined);
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
