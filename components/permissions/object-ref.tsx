import Link from "next/link";
import { Anchor, Text } from "@mantine/core";

/**
 * A reference to another object as the API gives it: with its name (and more) when you may
 * use that object, by its id alone when you may not.
 */
type Hidden = { id: number };

export function isShown<T extends { id: number; name: string }>(ref: T | Hidden): ref is T {
  return "name" in ref;
}

/** The object's name, or "image #12" for one you may not see. */
export function refLabel(kind: string, ref: { id: number; name: string } | Hidden): string {
  return isShown(ref) ? ref.name : `${kind} #${ref.id}`;
}

/** The object's name, or "#12" for one you may not see: for text that names the kind itself. */
export function refName(ref: { id: number; name: string } | Hidden): string {
  return isShown(ref) ? ref.name : `#${ref.id}`;
}

/** A link to the object, or its kind and id, without a link, for one you may not see. */
export function RefLink({
  kind,
  href,
  value,
  size,
}: {
  kind: string;
  href: string;
  value: { id: number; name: string } | Hidden;
  size?: string;
}) {
  if (isShown(value))
    return (
      <Anchor component={Link} href={href} size={size}>
        {value.name}
      </Anchor>
    );
  return (
    <Text span size={size} c="dimmed" title={`You may not see this ${kind}`}>
      {kind} #{value.id}
    </Text>
  );
}
