// Security headers: helmet with a CSP that fits how the client is served.
import helmet from "helmet";

export function securityHeaders(publicUrl: string | undefined) {
  const https = publicUrl?.startsWith("https://") ?? false;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // upgrade-insecure-requests would break the client served over plain http from a LAN address.
        "upgrade-insecure-requests": https ? [] : null,
        "connect-src": ["'self'", "ws:", "wss:"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
      },
    },
    strictTransportSecurity: https,
  });
}
