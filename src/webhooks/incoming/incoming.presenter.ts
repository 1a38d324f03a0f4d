// The public shape of an incoming webhook (room admins only: it carries the key or secret).
import type { Verification } from "../../contracts/enums.ts";
import type { IncomingWebhookDto } from "../../contracts/incoming.ts";

export type { IncomingWebhookDto };

type IncomingRow = {
  id: number;
  roomId: number;
  name: string;
  verification: string;
  secret: string;
  botUserId: number;
  enabled: boolean;
  template: string | null;
  createdAt: Date;
};

export const hookUrl = (publicUrl: string, hookId: number) => `${publicUrl}/api/hooks/${hookId}`;

export function presentIncomingWebhook(row: IncomingRow, publicUrl: string): IncomingWebhookDto {
  const verification = row.verification as Verification;
  return {
    id: row.id,
    roomId: row.roomId,
    name: row.name,
    url: hookUrl(publicUrl, row.id),
    verification,
    ...(verification === "api_key" ? { apiKey: row.secret } : { secret: row.secret }),
    botUserId: row.botUserId,
    enabled: row.enabled,
    template: row.template,
    createdAt: row.createdAt.getTime(),
  } satisfies IncomingWebhookDto;
}
