import type { DbLike } from "@/lib/auth/context";
import { rightsSelect } from "@/lib/permissions/references";
import type { SharedObject } from "@/lib/permissions/rights";

const nodeSelect = {
  id: true,
  name: true,
  type: true,
  state: true,
  error: true,
  sizeBytes: true,
  virtualSizeBytes: true,
  storageKey: true,
  source: true,
  originImageId: true,
  marketplaceId: true,
  marketplace: { select: { id: true, name: true, zoneId: true, ...rightsSelect } },
  ...rightsSelect,
} as const;

/** Its rights come along so that a tree shows each part only as far as the viewer may see it. */
export interface TreeApp extends SharedObject {
  id: number;
  name: string;
  type: string;
  state: string;
  error: string;
  sizeBytes: bigint;
  virtualSizeBytes: bigint;
  storageKey: string;
  source: string;
  originImageId: number | null;
  marketplaceId: number;
  marketplace: SharedObject & { id: number; name: string; zoneId: number };
}

export interface TreeNode {
  position: number;
  slot: string;
  created: boolean;
  app: TreeApp;
  children: TreeNode[];
}

/**
 * A composite app's parts, two levels deep at most (service → VM templates → images), in
 * the order of the parent's roles or disks.
 */
export async function loadAppTree(db: DbLike, rootId: number): Promise<TreeNode[]> {
  const level = async (parentIds: number[]) =>
    db.marketplaceAppChild.findMany({
      where: { parentId: { in: parentIds } },
      orderBy: [{ parentId: "asc" }, { position: "asc" }],
      include: { child: { select: nodeSelect } },
    });
  const first = await level([rootId]);
  const second = await level(first.map((l) => l.childId));
  const toNode = (l: (typeof first)[number], children: TreeNode[]): TreeNode => ({
    position: l.position,
    slot: l.slot,
    created: l.created,
    app: l.child,
    children,
  });
  return first.map((l) =>
    toNode(
      l,
      second.filter((s) => s.parentId === l.childId).map((s) => toNode(s, [])),
    ),
  );
}

/** Every app of a tree (once each, even when shared), leaves first. */
export function treeApps(nodes: TreeNode[], onlyCreated = false): TreeApp[] {
  const seen = new Map<number, TreeApp>();
  const visit = (list: TreeNode[]) => {
    for (const n of list) {
      if (onlyCreated && !n.created) continue;
      visit(n.children);
      if (!seen.has(n.app.id)) seen.set(n.app.id, n.app);
    }
  };
  visit(nodes);
  return [...seen.values()];
}

/** The bytes of the distinct images under some nodes (an image two disks share counts once). */
export function imageBytes(nodes: TreeNode[]): { sizeBytes: bigint; virtualSizeBytes: bigint } {
  const images = new Map<number, TreeApp>();
  const visit = (list: TreeNode[]) => {
    for (const n of list) {
      if (n.app.type === "IMAGE") images.set(n.app.id, n.app);
      visit(n.children);
    }
  };
  visit(nodes);
  let sizeBytes = BigInt(0);
  let virtualSizeBytes = BigInt(0);
  for (const app of images.values()) {
    sizeBytes += app.sizeBytes;
    virtualSizeBytes += app.virtualSizeBytes;
  }
  return { sizeBytes, virtualSizeBytes };
}
