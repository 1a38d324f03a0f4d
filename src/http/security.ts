// Security headers: helmet with a CSP that fits how the client is served.
import helmet from "helmet";

/**
 * Where the client may connect: its own origin only. 'self' covers same-origin ws:/wss: in current
 * browsers (CSP Level 3); with PUBLIC_URL the WebSocket form of that origin is named too, for
 * browsers that predate that rule.
 */
export function connectSources(publicUrl: string | undefined): string[] {
  if (!publicUrl) return ["'self'"];
  const origin = new URL(publicUrl);
  const ws = `${origin.protocol === "https:" ? "wss:" : "ws:"}//${origin.host}`;
  return ["'self'", origin.origin, ws];
}

export function securityHeaders(publicUrl: string | undefined) {
  const https = publicUrl?.startsWith("https://") ?? false;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // upgrade-insecure-requests would break the client served over plain http from a LAN address.
        "upgrade-insecure-requests": https ? [] : null,
        "connect-src": connectSources(publicUrl),
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
      },
    },
    strictTransportSecurity: https,
  });
}

/**
 * The API reference page (/api/docs): everything from 'self' only. Inline style attributes are
 * allowed because Swagger UI (React) sets them; scripts, styles, fonts and fetches never leave
 * this origin.
 */
export function docsSecurityHeaders() {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:"],
      "font-src": ["'self'"],
      "connect-src": ["'self'"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'none'"],
    },
  });
}
