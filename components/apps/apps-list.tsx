"use client";

import { Stack, Text } from "@mantine/core";
import { PageHeader } from "@/components/ui/page-header";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import { APP_LIST_DEFAULTS } from "./app-filters";
import { AppsCatalog } from "./apps-catalog";

export function AppsList() {
  const list = useListUrlState(APP_LIST_DEFAULTS);
  return (
    <Stack gap="sm">
      <PageHeader title="Apps" />
      <Text size="sm" c="dimmed">
        Every app you may use, in the marketplaces of every zone. Publish one from the page of an image, a VM template
        or a service template.
      </Text>
      <AppsCatalog list={list} />
    </Stack>
  );
}
