import { isJobActive } from "@/components/images/image-state";
import { isShown } from "@/components/permissions/object-ref";
import type { AppDto, LockLevel } from "./api";

/** Mirrors lib/api/operations/apps.ts (not imported: that module pulls zod into the bundle). */
export const APP_TYPES = ["IMAGE", "VMTEMPLATE", "SERVICE_TEMPLATE"] as const satisfies readonly AppDto["type"][];
export const APP_STATES = [
  "INIT",
  "LOCKED",
  "READY",
  "ERROR",
  "DISABLED",
] as const satisfies readonly AppDto["state"][];
export const LOCK_LEVELS = ["USE", "MANAGE", "ADMIN"] as const satisfies readonly LockLevel[];

export const APP_TYPE_LABELS: Record<AppDto["type"], string> = {
  IMAGE: "Image",
  VMTEMPLATE: "VM template",
  SERVICE_TEMPLATE: "Service template",
};

/** What each lock level blocks (the API's lockApp). */
export const LOCK_LEVEL_TEXT: Record<LockLevel, string> = {
  USE: "blocks every action",
  MANAGE: "blocks manage and admin actions",
  ADMIN: "blocks admin actions",
};

/** A job is moving the app's bytes: worth polling. */
export const isAppBusy = (app: AppDto) => app.state === "LOCKED" || isJobActive(app.job);

/** A part the user may not see is its id alone: no state to tell. */
type TreeNode = { id: number; state?: AppDto["state"]; children?: { app: TreeNode }[] };
const anyLocked = (node: TreeNode): boolean =>
  node.state === "LOCKED" || (node.children ?? []).some((c) => anyLocked(c.app));

/** The app or a part of it (a composite's child apps) is still being written. */
export const isAppTreeBusy = (app: AppDto) => isAppBusy(app) || anyLocked(app);

/** "3 parts" for a composite app; empty for an image app. */
export const partsText = (count: number) => (count ? `${count} part${count === 1 ? "" : "s"}` : "");

/**
 * Why the user lock refuses an action that needs `right`, if it does: a lock at level L blocks
 * every action needing L or more (lib/permissions/rights.ts blockedByLock).
 */
export function lockRefusal(app: AppDto, right: LockLevel): string | undefined {
  if (!app.lockLevel || LOCK_LEVELS.indexOf(right) < LOCK_LEVELS.indexOf(app.lockLevel)) return undefined;
  return `The app is locked (${app.lockLevel}); unlock it first`;
}

const canUse = (app: AppDto) => app.state === "READY" && !lockRefusal(app, "USE");

/** Only an image app has bytes of its own; a composite's are in its child apps. */
export const canDownload = (app: AppDto) => app.type === "IMAGE" && canUse(app);

/**
 * Only a READY app of an enabled marketplace can be imported. A marketplace the user may not see
 * shows no state: the import answers for it.
 */
export const canImport = (app: AppDto) => canUse(app) && (!isShown(app.marketplace) || app.marketplace.enabled);
