// Types of build-server.mjs (a plain script, so that npm start needs no TypeScript loader to build).
export declare const ENTRIES: Record<string, string>;
export declare function buildServer(opts?: { outdir?: string; entries?: Record<string, string> }): Promise<string>;
