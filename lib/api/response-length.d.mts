import type { ServerResponse } from "node:http";

export declare const LENGTH_HEADER: "x-bazaar-content-length";
export declare function restoreContentLength(res: ServerResponse): void;
