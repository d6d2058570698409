"use client";

import { Badge, Tooltip } from "@mantine/core";
import { formatDateTime } from "@/components/ui/format";
import type { ZoneStatusDto } from "./api";

const LOOK = {
  up: { color: "green", label: "Answers" },
  down: { color: "red", label: "Not answering" },
  unknown: { color: "gray", label: "Unknown" },
} as const;

/** Whether a zone's portal answered this server at its endpoint, with why not on hover. */
export function ZoneHealthBadge({ health }: { health: ZoneStatusDto["health"] }) {
  const look = LOOK[health.status];
  const when = health.checkedAt ? ` (asked ${formatDateTime(health.checkedAt)})` : "";
  return (
    <Tooltip label={`${health.detail}${when}`} withArrow>
      <Badge color={look.color} variant="light" aria-label={`${look.label}: ${health.detail}`}>
        {look.label}
      </Badge>
    </Tooltip>
  );
}
