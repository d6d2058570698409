"use client";

import { useState } from "react";
import Link from "next/link";
import { Badge, Group, Loader, Menu, Text, UnstyledButton } from "@mantine/core";
import { IconChevronDown, IconExternalLink } from "@tabler/icons-react";
import { useZones } from "@/components/zones/queries";
import { ZoneHealthBadge } from "@/components/zones/zone-health-badge";

/**
 * The local zone's badge; opened, the other zones of the federation with links to their
 * portals (what only a zone itself does, such as publishing into its marketplaces, is done
 * there). The zones are asked for only once the menu is opened.
 */
export function ZoneMenu({ zone }: { zone: { id: number; name: string } }) {
  const [opened, setOpened] = useState(false);
  const zones = useZones({ page: 1, perPage: 100, sort: "name", order: "asc" }, { enabled: opened });
  const others = zones.data?.items.filter((z) => z.id !== zone.id) ?? [];
  return (
    <Menu position="bottom-start" width={320} opened={opened} onChange={setOpened}>
      <Menu.Target>
        <UnstyledButton aria-label={`Local zone ${zone.name}: other zones`}>
          <Badge variant="light" tt="none" rightSection={<IconChevronDown size={12} aria-hidden />}>
            {zone.name}
          </Badge>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>This portal is zone {zone.name}</Menu.Label>
        {zones.isPending ? (
          <Group justify="center" p="xs">
            <Loader size="sm" aria-label="Loading zones" />
          </Group>
        ) : others.length === 0 ? (
          <Text size="sm" c="dimmed" px="sm" py={6}>
            {zones.isError ? "The zones could not be loaded" : "No other zones"}
          </Text>
        ) : (
          others.map((z) =>
            z.endpoint ? (
              <Menu.Item
                key={z.id}
                component="a"
                href={z.endpoint}
                target="_blank"
                rel="noopener noreferrer"
                leftSection={<IconExternalLink size={16} aria-hidden />}
                rightSection={<ZoneHealthBadge health={z.health} />}
              >
                {z.name}
              </Menu.Item>
            ) : (
              <Menu.Item key={z.id} disabled rightSection={<ZoneHealthBadge health={z.health} />}>
                {z.name} (no endpoint)
              </Menu.Item>
            ),
          )
        )}
        <Menu.Divider />
        <Menu.Item component={Link} href="/zones">
          All zones
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
