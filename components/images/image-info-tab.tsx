"use client";

import { ActionIcon, Code, CopyButton, Group, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { AppNameLink } from "@/components/permissions/named-link";
import { RefLink } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import type { ImageDto } from "./api";
import { sourceChecksumNote } from "./image-state";

/** A checksum in monospace with a copy button. */
export function Hash({ label, value }: { label: string; value: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Code style={{ overflowWrap: "anywhere" }}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? "Copied" : "Copy"}>
            <ActionIcon variant="subtle" size="sm" aria-label={`Copy ${label}`} onClick={copy}>
              {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

const ORIGINS: Record<ImageDto["origin"], string> = {
  UPLOAD: "Browser upload",
  URL: "Imported from a URL",
  APP: "Marketplace app",
};
/** "1.2 GiB (1,288,490,188 bytes)"; empty while unknown. */
export const sizeText = (n: number) => (n ? `${formatBytes(n)} (${n.toLocaleString()} bytes)` : "");

export function ImageInfoTab({ image }: { image: ImageDto }) {
  const checksumNote = sourceChecksumNote(image);
  return (
    <InfoList
      label="Image information"
      items={[
        { label: "Type", value: image.type },
        { label: "Format", value: image.format },
        { label: "Size", value: sizeText(image.sizeBytes) },
        { label: "Virtual size", value: sizeText(image.virtualSizeBytes) },
        { label: "MD5 of the stored file", value: image.md5 && <Hash label="md5" value={image.md5} /> },
        { label: "SHA-256 of the stored file", value: image.sha256 && <Hash label="sha256" value={image.sha256} /> },
        ...(image.expectedMd5 ? [{ label: "MD5 given for the source", value: <Code>{image.expectedMd5}</Code> }] : []),
        ...(image.expectedSha256
          ? [
              {
                label: "SHA-256 given for the source",
                value: <Code style={{ overflowWrap: "anywhere" }}>{image.expectedSha256}</Code>,
              },
            ]
          : []),
        ...(checksumNote ? [{ label: "Source checksums", value: <Text size="sm">{checksumNote}</Text> }] : []),
        {
          label: "Origin",
          value:
            image.fromAppId !== null ? (
              <>
                Imported from app <AppNameLink id={image.fromAppId} />
              </>
            ) : (
              ORIGINS[image.origin]
            ),
        },
        { label: "Source URL", value: image.sourceUrl },
        {
          label: "Datastore",
          value: <RefLink kind="datastore" href={`/datastores/${image.datastore.id}`} value={image.datastore} />,
        },
        { label: "Zone", value: image.zone.name },
        { label: "Description", value: image.description },
        { label: "Owner", value: image.owner.name },
        { label: "Group", value: image.group.name },
        { label: "Created", value: formatDateTime(image.createdAt) },
        { label: "Updated", value: formatDateTime(image.updatedAt) },
      ]}
    />
  );
}
