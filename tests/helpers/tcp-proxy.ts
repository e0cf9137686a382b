// A TCP relay in front of a real service (Redis), which a test can cut and restore: the
// service stays up for everyone else while one node loses it for as long as the test says.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export interface TcpProxy {
  /** host:port to give the node instead of the service's. */
  port: number;
  /** Drops every connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        open.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: TcpProxy = {
    port: (server.address() as { port: number }).port,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () => {
      proxy.cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  onTestFinished(() => proxy.close());
  return proxy;
}

/** A relay in front of the Redis at `redisUrl`, and the URL to give the node that should lose it. */
export async function redisProxy(redisUrl: string): Promise<TcpProxy & { url: string }> {
  const target = new URL(redisUrl);
  const proxy = await tcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  return Object.assign(proxy, { url: `redis://127.0.0.1:${proxy.port}` });
}
