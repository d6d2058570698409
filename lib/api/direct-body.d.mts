import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";

export declare const DIRECT_BODY_HEADER: "x-bazaar-direct-body";
export declare const DIRECT_BODY_TTL_MS: number;
export declare function enableDirectBodies(on?: boolean): void;
export declare function directBodiesEnabled(): boolean;
export declare function pendingDirectBodies(): number;
export declare function registerDirectBody(stream: Readable, ttlMs?: number): string;
export declare function takeDirectBody(token: string): Readable | undefined;
export declare function serveDirectBodies(res: ServerResponse): void;
