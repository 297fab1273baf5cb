/**
 * The smallest HTTP server there is, run as its own process by the engine benchmark so its work
 * does not share the load generator's event loop. Prints its port, then answers every request
 * with 200 "ok" until it is sent SIGTERM.
 */
import { createServer } from 'node:http';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
