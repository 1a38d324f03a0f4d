// The `hookroom` command line (bin/hookroom.js loads it): `hookroom forward <binUrl> <targetUrl>`.
import { startForwarding } from "./forward.ts";

const USAGE = `Usage: hookroom forward <binUrl> <targetUrl> [--token <token>]

Watches an inspector bin of a Hookroom server and sends each request it catches from
now on to <targetUrl> (plus the sub-path after the bin id): the same method, query,
headers and body bytes, so a webhook's signature made for the bin verifies there.

  <binUrl>     the bin's URL, such as http://localhost:3000/inspect/V1StGXR8_Z5jdHi6B-myT
  <targetUrl>  where to send them, such as http://localhost:8080/webhooks
  --token      your sign-in token (or set HOOKROOM_TOKEN)
`;

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Resolves on Ctrl-C (SIGINT) or SIGTERM. */
  interrupted: Promise<void>;
}

/** Runs a command; resolves with the exit code. */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  if (command !== "forward") {
    io.err(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  const parsed = parseForwardArgs(rest, env);
  if ("error" in parsed) {
    io.err(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  let forwarder;
  try {
    forwarder = startForwarding({ ...parsed, print: io.out, warn: io.err });
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  const outcome = await Promise.race([forwarder.ended.then((reason) => ({ reason })), io.interrupted.then(() => null)]);
  forwarder.stop();
  if (outcome) {
    io.err(outcome.reason);
    return 1;
  }
  io.out("Stopped.");
  return 0;
}

function parseForwardArgs(args: string[], env: Record<string, string | undefined>) {
  const positional: string[] = [];
  let token = env.HOOKROOM_TOKEN;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--token") {
      token = args[++i];
      if (!token) return { error: "--token needs a value" };
    } else if (arg.startsWith("--token=")) {
      token = arg.slice("--token=".length);
    } else if (arg.startsWith("-")) {
      return { error: `Unknown option: ${arg}` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2) return { error: "Give the bin's URL and the target URL" };
  if (!token) return { error: "Give your sign-in token with --token, or in HOOKROOM_TOKEN" };
  return { binUrl: positional[0]!, targetUrl: positional[1]!, token };
}
