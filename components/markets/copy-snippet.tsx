"use client";

import { ActionIcon, Box, Code, CopyButton, Group, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

function CopyIcon({ label, value }: { label: string; value: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? "Copied" : "Copy"}>
          <ActionIcon
            variant="subtle"
            size="sm"
            color={copied ? "teal" : undefined}
            aria-label={`Copy ${label}`}
            onClick={copy}
          >
            {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** A URL or a short value in monospace with a copy button. */
export function CopyValue({ label, value }: { label: string; value: string }) {
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Code aria-label={label} style={{ overflowWrap: "anywhere" }}>
        {value}
      </Code>
      <CopyIcon label={label} value={value} />
    </Group>
  );
}

/** A few lines to paste elsewhere (a template, commands), with a copy button in its corner. */
export function CopyBlock({ label, value }: { label: string; value: string }) {
  return (
    <Box pos="relative">
      <Code block aria-label={label} pr={40} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {value}
      </Code>
      <Box pos="absolute" top={6} right={6}>
        <CopyIcon label={label} value={value} />
      </Box>
    </Box>
  );
}
