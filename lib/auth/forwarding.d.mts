export declare const TRUSTED_PROXIES_VARIABLE: "BAZAAR_TRUSTED_PROXIES";
export declare const INVALID_CIDR_MESSAGE: string;
export declare const FORWARDING_HEADERS: readonly string[];

export type HeaderMap = Record<string, string | string[] | undefined>;
export type AddressMatcher = (address: string) => boolean;

export declare function isValidCidr(cidr: string): boolean;
export declare function parseCidrList(value: string | undefined): string[];
export declare function normalizeAddress(raw: string | null | undefined): string | null;
export declare function addressMatcher(cidrs: string[]): AddressMatcher;
export declare function forwardedHeaders<H extends HeaderMap>(
  headers: H,
  peer: string | null | undefined,
  isTrusted: AddressMatcher,
): H;
export declare function clientAddress(
  forwardedFor: string | null | undefined,
  isTrusted: AddressMatcher,
): string | null;
export declare function blockListOf(cidrs: readonly string[]): import("node:net").BlockList;
