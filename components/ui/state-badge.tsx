import { Badge } from "@mantine/core";

/** Fixed colours for object states across the console (DESIGN.md §7). */
const STATE_COLORS: Record<string, string> = {
  READY: "green",
  ENABLED: "green",
  INIT: "blue",
  LOCKED: "yellow",
  USED: "yellow",
  ERROR: "red",
  DISABLED: "gray",
};

export function StateBadge({ state, label }: { state: string; label?: string }) {
  const text = label ?? state.charAt(0) + state.slice(1).toLowerCase();
  return (
    <Badge color={STATE_COLORS[state] ?? "gray"} variant="light">
      {text}
    </Badge>
  );
}
