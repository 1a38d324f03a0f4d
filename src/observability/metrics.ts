// Prometheus metrics, one registry per app instance (tests start many apps in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"] as const,
      registers,
    }),
    messagesCreated: new Counter({ name: "chat_messages_created_total", help: "Messages created", registers }),
    webhookAttempts: new Counter({
      name: "webhook_attempts_total",
      help: "Webhook delivery attempts by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: "webhook_deliveries_total",
      help: "Webhook deliveries that reached a final status",
      labelNames: ["status"] as const,
      registers,
    }),
    webhookDeliveryLatency: new Histogram({
      name: "webhook_delivery_latency_seconds",
      help: "Time from event to successful delivery",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200],
      registers,
    }),
    webhookAttemptDuration: new Histogram({
      name: "webhook_attempt_duration_seconds",
      help: "Duration of one webhook HTTP attempt",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookQueueDepth: new Gauge({ name: "webhook_queue_depth", help: "Deliveries due or waiting", registers }),
    webhookCircuitOpen: new Gauge({
      name: "webhook_circuit_open",
      help: "Enabled webhooks whose circuit breaker is open or half open (no attempt made until its cool-down ends)",
      registers,
    }),
    connectedSockets: new Gauge({ name: "socketio_connected_sockets", help: "Connected Socket.IO sockets", registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
