import { randomBytes } from "node:crypto";

/** Backend keys are made here, never from user input: `app-<id>-<12 hex>`. */
export const appKey = (appId: number) => `app-${appId}-${randomBytes(6).toString("hex")}`;

/** Keys the portal made; anything else in a bucket or folder belongs to someone else. */
export const APP_KEY = /^app-\d+-[0-9a-f]{12}$/;
