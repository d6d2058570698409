import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressMatcher } from "../lib/auth/forwarding.mjs";

export declare const SUPPORTED_METHODS: readonly string[];

export declare function createRequestListener(
  handle: (req: IncomingMessage, res: ServerResponse) => unknown,
  isTrustedProxy: AddressMatcher,
): (req: IncomingMessage, res: ServerResponse) => void;
