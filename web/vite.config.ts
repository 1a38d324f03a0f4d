// Vite build of the web client: web/ -> web/dist, served by the API server at `/`.
// In development (`vite --config web/vite.config.ts`) API, Socket.IO and inspector
// traffic is proxied to the server on API_TARGET (default http://localhost:3000).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const target = process.env.API_TARGET ?? "http://localhost:3000";

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      "/api": target,
      "/inspect": target,
      "/socket.io": { target, ws: true },
    },
  },
});
