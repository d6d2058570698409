"use client";

import Link from "next/link";
import { ActionIcon, Indicator, Tooltip } from "@mantine/core";
import { IconActivity } from "@tabler/icons-react";
import { useActiveJobCount } from "./queries";

/** A header icon with the number of queued and running jobs; links to the active jobs. */
export function ActiveJobs() {
  const count = useActiveJobCount();
  const label = count === 1 ? "1 active job" : `${count} active jobs`;
  return (
    <Tooltip label={label}>
      <Indicator label={count} size={16} disabled={count === 0} processing={count > 0}>
        <ActionIcon
          component={Link}
          href="/jobs?show=active"
          variant="subtle"
          size="lg"
          aria-label={label}
          data-testid="active-jobs"
        >
          <IconActivity size={20} aria-hidden />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
