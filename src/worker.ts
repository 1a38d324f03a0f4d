// A background part of the app (the webhook dispatcher, ...): started after listen, stopped first.
export interface Worker {
  name: string;
  start(): void;
  stop(): Promise<void>;
  running(): boolean;
}
