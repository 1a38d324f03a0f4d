// Process entry: parse the config, build the app, listen, and shut down gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from "./config.ts";
import { createApp } from "./app.ts";

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const app = await createApp(config);
const port = await app.listen();
app.ctx.log.info({ port, url: app.ctx.publicUrl() }, `listening on http://${config.host}:${port}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.ctx.log.info({ signal }, "shutting down");
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.ctx.log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
