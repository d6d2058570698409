"use client";

import { Anchor, Text } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";

export interface ZoneOfObject {
  name: string;
  endpoint: string | null;
}

/** `path` (e.g. `/marketplaces/3`) on a zone's portal, or null when the zone has no endpoint. */
export const zonePortalUrl = (zone: ZoneOfObject, path = "") => (zone.endpoint ? `${zone.endpoint}${path}` : null);

/**
 * The zone of a federated object, by name; for another zone, a link to the object on that
 * zone's portal (what only its own zone does, such as publishing or monitoring, is done there).
 */
export function ZoneLink({
  zone,
  local,
  path,
  markLocal = false,
}: {
  zone: ZoneOfObject;
  local: boolean;
  path: string;
  /** say "(this zone)" after the local zone's name */
  markLocal?: boolean;
}) {
  const url = local ? null : zonePortalUrl(zone, path);
  if (!url)
    return (
      <Text span inherit>
        {local && markLocal ? `${zone.name} (this zone)` : zone.name}
      </Text>
    );
  return (
    <Anchor
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      inherit
      title={`Open it on zone ${zone.name}'s portal`}
    >
      {zone.name}
      <IconExternalLink size={12} aria-hidden style={{ marginLeft: 4, verticalAlign: "middle" }} />
    </Anchor>
  );
}
