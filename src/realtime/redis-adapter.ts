// Fan-out across processes through Redis streams (REDIS_URL): unlike the pub/sub adapter it
// resumes after a Redis blip without losing packets. Loaded only when REDIS_URL is set.
import type { Config } from "../config.ts";

export type RedisAdapter = Awaited<ReturnType<typeof createRedisAdapter>>;

export async function createRedisAdapter(config: Config & { redisUrl: string }) {
  const [{ Redis }, { createAdapter }] = await Promise.all([import("ioredis"), import("@socket.io/redis-streams-adapter")]);
  const client = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const adapter = createAdapter(client, {
    streamName: `${config.redisPrefix}:socket.io`,
    channelPrefix: `${config.redisPrefix}:socket.io`,
  });
  return { adapter, close: async () => void (await client.quit().catch(() => client.disconnect())) };
}
