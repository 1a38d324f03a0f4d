// A background part of the app (the webhook dispatcher, ...): started after listen, stopped first.
export interface Worker {
  name: string;
  start(): void;
  /** Resolves once the worker does its job (listen waits for it, so /readyz is 200 when it returns). */
  ready?(): Promise<void>;
  stop(): Promise<void>;
  running(): boolean;
}
