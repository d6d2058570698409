import type { VdcResourceDto, VdcResourceInput } from "./api";

/** Words for a resource type, as the Resources tab prints them. */
export const RESOURCE_WORDS: Record<VdcResourceInput["resourceType"], { one: string; all: string }> = {
  DATASTORE: { one: "Datastore", all: "All datastores" },
  MARKETPLACE: { one: "Marketplace", all: "All marketplaces" },
};

export const resourceKey = (r: VdcResourceInput) => `${r.zoneId}/${r.resourceType}/${r.resourceId ?? "all"}`;

/** Its name, or "All datastores" for the choice that covers every one of the zone. */
export function resourceLabel(r: VdcResourceDto): string {
  return r.resourceId === null ? RESOURCE_WORDS[r.resourceType].all : (r.resourceName ?? `#${r.resourceId}`);
}

export const toInput = ({ zoneId, resourceType, resourceId }: VdcResourceInput): VdcResourceInput => ({
  zoneId,
  resourceType,
  resourceId,
});

/** Does the list already grant `r`, by name or through "all of the zone"? */
export function covers(list: VdcResourceInput[], r: VdcResourceInput): boolean {
  return list.some(
    (x) =>
      x.zoneId === r.zoneId &&
      x.resourceType === r.resourceType &&
      (x.resourceId === null || x.resourceId === r.resourceId),
  );
}

/**
 * The list with `added`: "all of the zone" replaces the ones of that zone and type it names,
 * as the server would store it.
 */
export function withResource(list: VdcResourceInput[], added: VdcResourceInput): VdcResourceInput[] {
  if (covers(list, added)) return list.map(toInput);
  const kept =
    added.resourceId === null
      ? list.filter((x) => !(x.zoneId === added.zoneId && x.resourceType === added.resourceType))
      : list;
  return [...kept.map(toInput), toInput(added)];
}

export function withoutResource(list: VdcResourceInput[], removed: VdcResourceInput): VdcResourceInput[] {
  return list.filter((x) => resourceKey(x) !== resourceKey(removed)).map(toInput);
}
