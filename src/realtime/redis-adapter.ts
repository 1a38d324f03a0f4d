// Fan-out across processes through Redis streams (REDIS_URL): unlike the pub/sub adapter it
// resumes after a Redis blip without losing packets.
import { Redis } from "ioredis";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Config } from "../config.ts";

export function createRedisAdapter(config: Config & { redisUrl: string }) {
  const client = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const adapter = createAdapter(client, {
    streamName: `${config.redisPrefix}:socket.io`,
    channelPrefix: `${config.redisPrefix}:socket.io`,
  });
  return { adapter, close: async () => void (await client.quit().catch(() => client.disconnect())) };
}
