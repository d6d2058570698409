"use client";

import Link from "next/link";
import { Anchor, Avatar, Badge, Group, Tooltip } from "@mantine/core";
import { IconDisc, IconLock, IconSitemap, IconTemplate, type Icon } from "@tabler/icons-react";
import type { AppDto } from "./api";
import { APP_TYPE_LABELS, partsText } from "./app-state";
import { tagOverflow } from "./catalog-format";

function LockIcon({ app }: { app: AppDto }) {
  if (!app.lockLevel) return null;
  return (
    <Tooltip label={`Locked (${app.lockLevel})`}>
      <IconLock size={14} role="img" aria-label={`Locked (${app.lockLevel})`} style={{ flexShrink: 0 }} />
    </Tooltip>
  );
}

/**
 * The app's name, linked, on one line: a name longer than `maxWidth` ends in "…" and shows whole
 * in its tooltip. With a lock icon when a user locked the app.
 */
export function AppName({ app, maxWidth = 360 }: { app: AppDto; maxWidth?: number | string }) {
  return (
    <Group gap={4} wrap="nowrap" miw={0}>
      <Anchor component={Link} href={`/apps/${app.id}`} truncate="end" maw={maxWidth} title={app.name}>
        {app.name}
      </Anchor>
      <LockIcon app={app} />
    </Group>
  );
}

/** A card's title: the name on two lines at most, broken between words, the rest in its tooltip. */
export function AppTitle({ app }: { app: AppDto }) {
  return (
    <Group gap={4} wrap="nowrap" align="flex-start" miw={0}>
      <Anchor
        component={Link}
        href={`/apps/${app.id}`}
        fw={600}
        lineClamp={2}
        title={app.name}
        lh={1.3}
        style={{ overflowWrap: "break-word", wordBreak: "normal", hyphens: "none" }}
      >
        {app.name}
      </Anchor>
      <LockIcon app={app} />
    </Group>
  );
}

const TYPE_ICONS: Record<AppDto["type"], Icon> = {
  IMAGE: IconDisc,
  VMTEMPLATE: IconTemplate,
  SERVICE_TEMPLATE: IconSitemap,
};

const typeColor = (app: AppDto) => (app.type === "IMAGE" ? "blue" : app.type === "VMTEMPLATE" ? "grape" : "teal");

/**
 * The logo a public catalog gives, at a fixed size, or an icon of the app's type when there is
 * none or it does not load. Decorative: the name is always next to it. The catalog's host sees
 * no referrer.
 */
export function AppLogo({ app, size = 40 }: { app: AppDto; size?: number }) {
  const TypeIcon = TYPE_ICONS[app.type];
  return (
    <Avatar
      src={app.logoUrl || null}
      alt=""
      size={size}
      radius="md"
      variant="light"
      color={typeColor(app)}
      imageProps={{ loading: "lazy", referrerPolicy: "no-referrer", width: size, height: size }}
      styles={{ image: { objectFit: "contain" } }}
      style={{ flexShrink: 0 }}
    >
      <TypeIcon size={Math.round(size * 0.55)} stroke={1.6} aria-hidden />
    </Avatar>
  );
}

/** The app's type, and how many parts a composite app has ("3 parts"). */
export function AppTypeBadge({ app }: { app: AppDto }) {
  const parts = partsText(app.childCount);
  return (
    <Badge size="sm" variant="light" color={typeColor(app)} tt="none" style={{ flexShrink: 0 }}>
      {APP_TYPE_LABELS[app.type]}
      {parts ? ` · ${parts}` : ""}
    </Badge>
  );
}

interface AppTagsProps {
  tags: string[];
  /** the most tags shown; the others are behind "+N", in its tooltip */
  max?: number;
  /** the most characters the shown tags take together (the first is always shown) */
  maxChars?: number;
  /** on one line (a table cell) rather than wrapped */
  nowrap?: boolean;
}

/** A badge cuts its label with "…" when squeezed; a tag must rather take its whole width. */
const NEVER_CUT = { flexShrink: 0, minWidth: "max-content" } as const;

/** Tags as chips, never cut: those that fit in full, then "+N" with the rest in a tooltip. */
export function AppTags({ tags, max = Infinity, maxChars, nowrap }: AppTagsProps) {
  const { shown, hidden } = tagOverflow(tags, max, maxChars);
  return (
    <Group gap={4} wrap={nowrap ? "nowrap" : "wrap"}>
      {shown.map((t) => (
        <Badge key={t} size="sm" variant="outline" color="gray" tt="none" style={NEVER_CUT}>
          {t}
        </Badge>
      ))}
      {hidden.length ? (
        <Tooltip label={hidden.join(", ")} multiline maw={280} withArrow>
          <Badge
            component="button"
            type="button"
            size="sm"
            variant="light"
            color="gray"
            tt="none"
            aria-label={`+${hidden.length} more tags: ${hidden.join(", ")}`}
            style={{ ...NEVER_CUT, cursor: "default" }}
          >
            +{hidden.length}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}
