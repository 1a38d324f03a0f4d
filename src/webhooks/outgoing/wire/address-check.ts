// Which IP addresses a webhook may not reach (unless WEBHOOK_ALLOW_PRIVATE_NETWORKS): loopback,
// private, link-local, unique-local, carrier-grade NAT, unspecified, multicast, reserved and the
// IPv6 forms that embed an IPv4 address. The sender applies the same rule at connect time (on the
// resolved address, in its connect lookup, and on the connected socket's peer); this function also
// refuses IP literals before any socket is opened, with the same answer, so an error is clear.
// The one exception: this server's own inspector bins (README, "Answers, retries and failures").
import net from "node:net";

// Two lists: one BlockList checks an IPv4 address against its IPv6 rules as IPv4-mapped, so a
// single list holding ::ffff:0:0/96 would match every IPv4 address.
const blocked4 = new net.BlockList();
const blocked6 = new net.BlockList();
const v4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", includes 0.0.0.0
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const v6: [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["::ffff:0:0", 96], // IPv4-mapped: [::ffff:127.0.0.1] arrives as ::ffff:7f00:1
  ["::", 96], // IPv4-compatible (deprecated)
  ["64:ff9b::", 96], // NAT64
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 32], // Teredo
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];
for (const [a, p] of v4) blocked4.addSubnet(a, p, "ipv4");
for (const [a, p] of v6) blocked6.addSubnet(a, p, "ipv6");

/** True when `ip` (an IPv4 or IPv6 address, brackets allowed) is not a public unicast address; non-IPs are refused too. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = net.isIP(bare);
  if (family === 0) return true;
  return family === 4 ? blocked4.check(bare, "ipv4") : blocked6.check(bare, "ipv6");
}

/**
 * The hostname of a URL as Node connects to it: the WHATWG parser already turns 127.1, 2130706433
 * and 0x7f000001 into 127.0.0.1; brackets of IPv6 literals are removed.
 */
export function urlHost(url: URL): string {
  const h = url.hostname;
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/** `<publicUrl>/inspect/<binId>`, that origin and exact path: always delivered (README, "Answers, retries and failures"). */
export function inspectorUrlMatcher(publicUrl: () => string): (url: URL) => boolean {
  return (url) => {
    let base: URL;
    try {
      base = new URL(publicUrl());
    } catch {
      return false;
    }
    const prefix = base.pathname.replace(/\/+$/, "");
    if (url.origin !== base.origin || url.username || url.password) return false;
    if (!url.pathname.startsWith(`${prefix}/inspect/`)) return false;
    return /^[A-Za-z0-9_-]+$/.test(url.pathname.slice(prefix.length + "/inspect/".length));
  };
}
